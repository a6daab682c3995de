"""Piezas de la cartela de un mapa impreso: leyenda, escalas, norte, ubicación y textos en es-CL.

Todo se dibuja sobre una figura de matplotlib en milímetros de papel (``mm``: transformación de mm a
la pantalla de la figura). La hoja de ``capas.mapas.impresion`` las ubica; otros informes pueden
usarlas en su propia composición.
"""

import textwrap
from datetime import datetime

import numpy as np
import shapely
from django.contrib.gis.gdal import SpatialReference
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.patches import Polygon as PoligonoMpl
from matplotlib.transforms import Affine2D

from capas.geometria import tipo_simple
from capas.mapas import dibujo
from capas.srid import reproyectar

MESES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
COLOR_TEXTO, COLOR_SUAVE = "#1b1b1b", "#5a5a5a"


def numero_es(valor: float, decimales: int = 0) -> str:
    """Devuelve el número con el formato de Chile: miles con punto y decimales con coma (1.234,5)."""
    texto = f"{valor:,.{decimales}f}"
    return texto.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def distancia_es(metros: float) -> str:
    """Devuelve una distancia legible: «500 m», «1 km», «2,5 km»."""
    if metros >= 1000:
        km = metros / 1000
        return f"{numero_es(km, 0 if km == int(km) else 1)} km"
    return f"{numero_es(metros)} m"


def nombre_srs(srid: int) -> str:
    """Devuelve el nombre del sistema de coordenadas (p. ej. «SIRGAS-Chile 2002 / UTM zone 18S»)."""
    return SpatialReference(srid).name


def fecha_es(fecha: datetime) -> str:
    """Devuelve «1 de diciembre de 2026, 09:05»."""
    return f"{fecha.day} de {MESES[fecha.month - 1]} de {fecha.year}, {fecha:%H:%M}"


def texto(figura, mm, x, y, contenido: str, **opciones):
    """Escribe ``contenido`` en coordenadas de la hoja (mm) con la tipografía de la hoja."""
    opciones.setdefault("color", COLOR_TEXTO)
    opciones.setdefault("fontfamily", "DejaVu Sans")
    opciones.setdefault("transform", mm)
    # Sin mathtext: un título como «Inversión $ 1.500 y $ 300» se imprime tal cual, no como fórmula.
    return figura.text(x, y, contenido, parse_math=False, **opciones)


def _entradas_leyenda(dibujadas) -> list[tuple]:
    """Devuelve las filas de la leyenda: (clase, texto, símbolo, tipo de geometría)."""
    filas = []
    for d in dibujadas:
        capa, estilo = d.capa, d.capa.estilo
        tipo = tipo_simple(capa.tipo_geometria)
        if not estilo.categorias:
            filas.append(("capa", capa.titulo, estilo.simbolo, tipo))
        else:
            filas.append(("titulo", capa.titulo, None, tipo))
            filas.extend(
                ("entrada", c.etiqueta, c.simbolo, tipo) for c in estilo.categorias if c.valor in d.categorias
            )
            if d.sin_categoria:
                filas.append(("entrada", "Otros valores", estilo.simbolo, tipo))
        if d.elementos == 0:
            filas.append(("nota", "Sin elementos en esta vista", None, tipo))
        filas.append(("espacio", "", None, tipo))
    return filas[:-1]


ALTOS = {"capa": 5.2, "titulo": 5.0, "entrada": 4.3, "nota": 3.6, "espacio": 1.8}


SANGRIAS = {"capa": 10, "entrada": 12, "titulo": 0, "nota": 2, "espacio": 0}
TAMANOS = {"capa": 7.5, "entrada": 7, "titulo": 7.5, "nota": 6.3, "espacio": 7}
INTERLINEA_MM = 3.1


def _lineas(clase: str, texto: str, ancho_mm: float, factor: float) -> list[str]:
    """Devuelve el texto de una fila partido en a lo más dos líneas que caben en ``ancho_mm``."""
    if not texto:
        return [""]
    # DejaVu Sans: ~0,19 mm por punto de tamaño y carácter, en promedio.
    por_linea = max(8, int((ancho_mm - SANGRIAS[clase]) / (TAMANOS[clase] * factor * 0.19)))
    lineas = textwrap.wrap(texto, por_linea) or [""]
    if len(lineas) > 2:
        lineas = [lineas[0], textwrap.shorten(" ".join(lineas[1:]), por_linea, placeholder="…")]
    return lineas


def leyenda(figura, mm, dibujadas, x0: float, x1: float, abajo: float, arriba: float) -> None:
    """Dibuja la leyenda en el panel; si no cabe, achica la letra y al final resume lo que sobra."""
    texto(figura, mm, x0, arriba, "Leyenda", fontsize=10, fontweight="bold", va="top")
    arriba -= 7
    filas = _entradas_leyenda(dibujadas)

    def medir(factor):
        partidas = [_lineas(f[0], f[1], x1 - x0, factor) for f in filas]
        altos = [
            (ALTOS[f[0]] + (len(p) - 1) * INTERLINEA_MM) * factor
            for f, p in zip(filas, partidas, strict=True)
        ]
        return partidas, altos

    partidas, altos = medir(1.0)
    factor = max(0.72, min(1.0, (arriba - abajo) / sum(altos))) if filas else 1.0
    if factor < 1:
        partidas, altos = medir(factor)
    y = arriba
    for i, ((clase, _texto_fila, simbolo, tipo), lineas, alto) in enumerate(
        zip(filas, partidas, altos, strict=True)
    ):
        if y - alto < abajo + (4 if i < len(filas) - 1 else 0):
            restantes = sum(1 for f in filas[i:] if f[0] in ("capa", "entrada"))
            texto(figura, mm, x0, y, f"… y {restantes} entradas más", fontsize=6.5 * factor, va="top")
            return
        centro = y - alto / 2
        if clase in ("capa", "entrada"):
            _simbolo(figura, mm, simbolo, tipo, x0 + (0 if clase == "capa" else 2), centro, factor)
        if clase != "espacio":
            texto(
                figura,
                mm,
                x0 + SANGRIAS[clase],
                centro,
                "\n".join(lineas),
                fontsize=TAMANOS[clase] * factor,
                fontweight="bold" if clase in ("capa", "titulo") else "normal",
                style="italic" if clase == "nota" else "normal",
                color=COLOR_SUAVE if clase == "nota" else COLOR_TEXTO,
                va="center",
                linespacing=1.15,
            )
        y -= alto


def _simbolo(figura, mm, simbolo, tipo: str, x: float, y: float, factor: float) -> None:
    """Dibuja la muestra de un símbolo (7 × 4 mm) centrada verticalmente en ``y``."""
    ancho, alto = 7 * factor, 3.6 * factor
    if tipo == "POLYGON":
        propiedades = dibujo.estilo_relleno(simbolo)
        propiedades["linewidth"] = min(propiedades["linewidth"], 1.6)
        figura.add_artist(Rectangle((x, y - alto / 2), ancho, alto, transform=mm, **propiedades))
    elif tipo == "LINESTRING":
        propiedades = dibujo.estilo_linea(simbolo)
        figura.add_artist(
            Line2D(
                [x, x + ancho],
                [y, y],
                transform=mm,
                color=propiedades["colors"][0],
                lw=propiedades["linewidths"],
                solid_capstyle="round",
            )
        )
    else:
        propiedades = dibujo.estilo_punto(simbolo)
        figura.add_artist(
            Line2D(
                [x + ancho / 2],
                [y],
                transform=mm,
                marker="o",
                markersize=2 * simbolo.radio * dibujo.PT_POR_PX,
                markerfacecolor=propiedades["c"][0],
                markeredgecolor=simbolo.borde,
                markeredgewidth=propiedades["linewidths"],
                linestyle="none",
            )
        )


def largo_barra(escala: int, maximo_mm: float) -> float:
    """Devuelve el largo (m) de la barra de escala: 1, 2 o 5 × 10ⁿ que quepa en ``maximo_mm``."""
    maximo_m = maximo_mm / 1000 * escala
    decada = 10 ** int(f"{maximo_m:e}".split("e")[1])
    return max(m * decada for m in (1, 2, 5) if m * decada <= maximo_m)


def ubicacion(figura, marco: dibujo.Marco, limite, caja_mm, ancho: float, alto: float) -> bool:
    """Dibuja el mapa de ubicación (comuna y recuadro del mapa) si el mapa no muestra la comuna entera."""
    if limite is None:
        return False
    comuna = shapely.from_wkb(bytes(reproyectar(limite, marco.srid).wkb))
    xmin, ymin, xmax, ymax = comuna.bounds
    if marco.xmin <= xmin and marco.ymin <= ymin and marco.xmax >= xmax and marco.ymax >= ymax:
        return False
    x, y, w, h = caja_mm
    ejes = figura.add_axes((x / ancho, y / alto, w / ancho, h / alto))
    ejes.set_axis_off()
    ejes.add_artist(
        PathPatch(dibujo.ruta_poligonos(np.array([comuna])), facecolor="#eef1f3", edgecolor="#1f4e5f", lw=0.5)
    )
    recuadro = Rectangle(
        (marco.xmin, marco.ymin),
        marco.xmax - marco.xmin,
        marco.ymax - marco.ymin,
        fill=False,
        edgecolor="#d62728",
        lw=1.0,
    )
    ejes.add_artist(recuadro)
    # Caja que contiene la comuna y el recuadro, con margen, en la proporción del espacio.
    x0, y0 = min(xmin, marco.xmin), min(ymin, marco.ymin)
    x1, y1 = max(xmax, marco.xmax), max(ymax, marco.ymax)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    medio = max((x1 - x0) / w, (y1 - y0) / h) * 1.08 / 2
    ejes.set_xlim(cx - medio * w, cx + medio * w)
    ejes.set_ylim(cy - medio * h, cy + medio * h)
    ejes.set_aspect("equal", adjustable="box")
    mm = Affine2D().scale(1 / dibujo.MM_POR_PULGADA) + figura.dpi_scale_trans
    texto(figura, mm, x, y + h + 2, "Ubicación en la comuna", fontsize=7.5, fontweight="bold", va="bottom")
    return True


def intervalo_cuadricula(largo_m: float, marcas: int = 5) -> float:
    """Devuelve el paso (1, 2 o 5 × 10ⁿ m) que deja unas ``marcas`` divisiones en ``largo_m``."""
    bruto = largo_m / marcas
    decada = 10 ** int(f"{bruto:e}".split("e")[1])
    return min((m * decada for m in (1, 2, 5, 10)), key=lambda paso: abs(paso - bruto))


def coordenadas(ejes, marco: dibujo.Marco) -> None:
    """Rotula el marco del mapa con coordenadas UTM (m): este abajo y norte a la izquierda, hacia adentro."""
    paso = intervalo_cuadricula(marco.xmax - marco.xmin)
    for eje, minimo, maximo in ((ejes.xaxis, marco.xmin, marco.xmax), (ejes.yaxis, marco.ymin, marco.ymax)):
        marcas = np.arange(np.ceil(minimo / paso) * paso, maximo, paso)
        eje.set_ticks(marcas, labels=[numero_es(v) for v in marcas])
    ejes.tick_params(direction="in", length=2.5, width=0.5, pad=1.2, labelsize=5, colors=COLOR_SUAVE)
    ejes.tick_params(axis="both", which="both", top=True, right=True)
    for rotulo in ejes.get_yticklabels():
        rotulo.set_rotation(90)
        rotulo.set_verticalalignment("center")


def escalas(figura, mm, marco: dibujo.Marco, x0: float, x1: float, abajo: float) -> None:
    """Dibuja la flecha norte, la escala numérica, la barra de escala y la proyección."""
    _norte(figura, mm, x0 + 6, abajo + 34, marco.convergencia_grados())
    texto(
        figura,
        mm,
        x0 + 15,
        abajo + 36,
        f"Escala 1:{numero_es(marco.escala)}",
        fontsize=9,
        fontweight="bold",
        va="center",
    )
    texto(
        figura,
        mm,
        x0 + 15,
        abajo + 31.5,
        "(al imprimir a tamaño real)",
        fontsize=6,
        color=COLOR_SUAVE,
        va="center",
    )
    metros = largo_barra(marco.escala, x1 - x0 - 8)
    largo_mm = metros / marco.escala * 1000
    partes = 4 if str(metros)[0] == "2" else 5
    y = abajo + 20
    for i in range(partes):
        figura.add_artist(
            Rectangle(
                (x0 + i * largo_mm / partes, y),
                largo_mm / partes,
                1.6,
                transform=mm,
                facecolor=COLOR_TEXTO if i % 2 == 0 else "white",
                edgecolor=COLOR_TEXTO,
                lw=0.5,
            )
        )
    for valor, posicion in ((0, 0), (metros / 2, largo_mm / 2), (metros, largo_mm)):
        rotulo = distancia_es(valor) if valor else "0"
        texto(figura, mm, x0 + posicion, y + 2.6, rotulo, fontsize=6.3, ha="center", va="bottom")
    texto(
        figura,
        mm,
        x0,
        abajo + 9,
        f"{nombre_srs(marco.srid)}\nEPSG:{marco.srid} · coordenadas en metros"
        "\nNorte de la cuadrícula hacia arriba.",
        fontsize=6.2,
        color=COLOR_SUAVE,
        va="center",
        linespacing=1.35,
    )


def _norte(figura, mm, x: float, y: float, angulo: float) -> None:
    """Dibuja una flecha norte (mitad negra, mitad blanca) girada ``angulo`` grados al este."""
    giro = Affine2D().rotate_deg(-angulo).translate(x, y) + mm
    izquierda = [(0, 5), (-2.6, -4), (0, -2.2)]
    derecha = [(0, 5), (2.6, -4), (0, -2.2)]
    figura.add_artist(
        PoligonoMpl(
            izquierda, closed=True, transform=giro, facecolor=COLOR_TEXTO, lw=0.6, edgecolor=COLOR_TEXTO
        )
    )
    figura.add_artist(
        PoligonoMpl(derecha, closed=True, transform=giro, facecolor="white", lw=0.6, edgecolor=COLOR_TEXTO)
    )
    texto(figura, mm, 0, 6.2, "N", fontsize=9, fontweight="bold", ha="center", va="bottom", transform=giro)
