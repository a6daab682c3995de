"""PDF del informe de superposición para el Concejo: la hoja del mapa y las páginas de tablas.

La hoja del mapa es la del visor (``capas.mapas.impresion``) con las capas de restricción que toca
el polígono y, encima, el polígono analizado destacado como una capa más (con
su entrada en la leyenda). Las tablas van en A4 vertical con la misma tipografía, marco, cabecera y
pie; todo se guarda en un solo PDF (``PdfPages``) con texto buscable.
"""

from datetime import datetime
from pathlib import Path

import matplotlib
from django.contrib.gis.geos import GEOSGeometry
from matplotlib.backends.backend_pdf import PdfPages

from apps.ordenamiento.informe import presentacion
from apps.ordenamiento.informe.paginas import LETRA_CHICA, Paginas
from capas.estilos import Estilo, Simbolo
from capas.fuentes import FuenteSQL
from capas.mapas import cartela, impresion
from capas.mapas.base import capas_de_contexto
from capas.registro import Capa, CapaNoEncontrada, registro

POLIGONO = Simbolo(relleno="#f39c12", borde="#c0392b", ancho=3.5, opacidad=0.12)


def capa_poligono(geom: GEOSGeometry) -> Capa:
    """Devuelve el polígono analizado como una capa de un solo elemento (no registrada) para la hoja."""
    return Capa(
        nombre="poligono-analizado",
        titulo="Polígono analizado",
        grupo="Informe",
        tipo_geometria="MultiPolygon",
        fuente=FuenteSQL(
            tabla="(SELECT 1 AS id, ST_GeomFromEWKB(%s) AS geom)",
            pk="t.id",
            geom="t.geom",
            atributos=(),
            parametros=(bytes(geom.ewkb),),
        ),
        estilo=Estilo(simbolo=POLIGONO),
    )


def capas_visibles(nombres: list[str], usuario) -> list[Capa]:
    """Devuelve las capas del registro que el usuario puede ver (las demás se omiten del mapa)."""
    capas = []
    for nombre in nombres:
        try:
            capas.append(registro.obtener(nombre, usuario))
        except CapaNoEncontrada:
            continue
    return capas


def bbox_de(geom: GEOSGeometry) -> tuple[float, float, float, float]:
    """Devuelve la vista (lon/lat) del mapa: el polígono con un margen de un tercio a cada lado."""
    oeste, sur, este, norte = geom.extent
    margen = max(este - oeste, norte - sur, 0.003) / 3
    return oeste - margen, sur - margen, este + margen, norte + margen


def informe_pdf(
    *,
    geom: GEOSGeometry,
    informe: dict,
    titulo: str,
    autor: str,
    fecha: datetime,
    usuario,
    pdf: Path,
    png: Path | None = None,
) -> dict:
    """Compone y guarda el PDF (mapa y tablas) y, si se pide, la vista previa PNG de la hoja del mapa."""
    capas = [
        capa_poligono(geom),
        # Solo las que toca: la hoja encuadra el polígono y las cercanas quedarían fuera de la vista.
        *capas_visibles(presentacion.capas_del_informe(informe, cercanas=False), usuario),
        *capas_visibles(capas_de_contexto(), usuario),
    ]
    hoja = impresion.Hoja(titulo=titulo, bbox=bbox_de(geom), capas=tuple(capas), autor=autor, fecha=fecha)
    compuesta = impresion.hoja_componer(hoja)
    paginas = Paginas(titulo=titulo, autor=autor, fecha=fecha)
    tablas_dibujar(paginas, informe)
    figuras = [compuesta.figura, *paginas.figuras]
    total = len(figuras)
    for numero, figura in enumerate(paginas.figuras, start=2):
        paginas.numerar(figura, numero, total)
    metadatos = {
        "Title": titulo,
        "Author": autor,
        "Subject": "Informe de superposición con zonas y restricciones",
        "Creator": "Territorio",
        "CreationDate": fecha,
    }
    with matplotlib.rc_context(impresion.RC_HOJA), PdfPages(pdf, metadata=metadatos) as documento:
        documento.savefig(compuesta.figura, dpi=compuesta.marco.ppp)
        for figura in paginas.figuras:
            documento.savefig(figura)
        if png is not None:
            compuesta.figura.savefig(png, format="png", dpi=impresion.PPP_PNG)
    return {
        "paginas": total,
        "escala_texto": f"1:{cartela.numero_es(compuesta.marco.escala)}",
        "srid": compuesta.marco.srid,
        "capas": [d.capa.titulo for d in compuesta.dibujadas if d.elementos],
    }


def tablas_dibujar(paginas: Paginas, informe: dict) -> None:
    """Escribe el resumen, el veredicto y las tablas de zonas, restricciones, cercanías y localidades."""
    t = presentacion.filas(informe)
    paginas.seccion("Resumen")
    calculado = informe.get("calculado") or ""
    if calculado:
        calculado = cartela.fecha_es(datetime.fromisoformat(calculado))
    paginas.tabla(
        [("Dato", 1, "l"), ("Valor", 2.4, "l")],
        [
            {"celdas": ["Superficie del polígono", f"{t['area_m2']} ({t['area_ha']})"]},
            {"celdas": ["Uso propuesto", t["uso"].capitalize()]},
            {"celdas": ["Medido en", f"EPSG:{t['srid']} (UTM de la comuna)"]},
            {"celdas": ["Radio de cercanía", t["radio"]]},
            {"celdas": ["Informe calculado el", calculado or "—"]},
        ],
    )
    v = t["veredicto"]
    paginas.recuadro(v["titulo"], v["texto"], v["estado"].color)

    paginas.seccion("Zonas del instrumento de planificación")
    if t["zonas"]:
        paginas.tabla(
            [
                ("Código", 0.8, "l"),
                ("Zona", 2.2, "l"),
                ("Instrumento", 1.6, "l"),
                ("Área", 1.1, "r"),
                ("ha", 0.9, "r"),
                ("%", 0.7, "r"),
                ("Condición", 1.2, "l"),
            ],
            [
                {
                    "celdas": [
                        z["codigo"],
                        z["nombre"],
                        z["instrumento"],
                        z["area_m2"],
                        z["area_ha"],
                        z["porcentaje"],
                        z["estado"].texto,
                    ],
                    "colores": [None] * 6 + [z["estado"].color],
                }
                for z in t["zonas"]
            ],
        )
    else:
        paginas.parrafo("El polígono no cae en ninguna zona de un instrumento de planificación cargado.")

    paginas.seccion("Restricciones que toca")
    if t["categorias"]:
        filas = []
        for c in t["categorias"]:
            filas.append(
                {
                    "celdas": [c["etiqueta"], c["area_m2"], c["area_ha"], c["porcentaje"], c["estado"].texto],
                    "colores": [None] * 4 + [c["estado"].color],
                    "negrita": True,
                }
            )
            if c["fundamento"]:
                filas.append({"celdas": [c["fundamento"], "", "", "", ""], "chica": True, "sangria": 3.0})
            for capa in c["capas"]:
                filas.append(
                    {
                        "celdas": [
                            f"Capa: {capa['titulo']}",
                            capa["area_m2"],
                            capa["area_ha"],
                            capa["porcentaje"],
                            "",
                        ],
                        "chica": True,
                        "sangria": 3.0,
                    }
                )
        paginas.tabla(
            [
                ("Categoría y fundamento", 3.6, "l"),
                ("Área", 1.1, "r"),
                ("ha", 0.9, "r"),
                ("%", 0.7, "r"),
                ("Condición", 1.3, "l"),
            ],
            filas,
        )
        paginas.parrafo(
            "Las áreas de cada categoría no cuentan dos veces lo que se superpone entre sus capas.",
            tamano=LETRA_CHICA,
            color=cartela.COLOR_SUAVE,
        )
    else:
        paginas.parrafo("El polígono no toca ninguna capa de restricción cargada.")

    paginas.seccion(f"Restricción más cercana de cada categoría (hasta {t['radio']})")
    if t["cercanas"]:
        paginas.tabla(
            [("Categoría", 2.2, "l"), ("Capa", 2, "l"), ("Elemento", 2, "l"), ("Distancia", 1.1, "r")],
            [{"celdas": [d["etiqueta"], d["capa"], d["elemento"], d["distancia"]]} for d in t["cercanas"]],
        )
    else:
        paginas.parrafo(f"No hay restricciones a menos de {t['radio']} del polígono.")

    paginas.seccion("Localidades y sectores que toca")
    if t["localidades"]:
        paginas.tabla(
            [("Localidad", 2.4, "l"), ("Tipo", 1.4, "l"), ("Área dentro del polígono", 1.8, "r")],
            [{"celdas": [loc["nombre"], loc["tipo"], loc["area"]]} for loc in t["localidades"]],
        )
    else:
        paginas.parrafo("El polígono no toca localidades ni sectores registrados.")
