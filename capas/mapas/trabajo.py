"""La impresión como trabajo acotado: compone la hoja en el proceso hijo y deja su PDF y su PNG.

La hoja se escribe en la carpeta del trabajo (que se borra si el hijo muere o se pasa de tiempo) y
solo al final se mueve a su lugar: no quedan archivos a medias.

Los archivos quedan en ``MEDIA_ROOT/impresiones/<id del trabajo>/`` (no se sirven como estáticos:
los entrega ``capas.mapas.views.descargar`` solo a su dueño o a un administrador).
"""

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from capas.mapas.formatos import FORMATOS
from capas.registro import CapaNoEncontrada, registro
from capas.trabajos.tipos import TipoTrabajo, TrabajoRechazado

TIPO = TipoTrabajo(
    nombre="impresion",
    sujeto="La impresión",
    titulo="Impresión de mapa",
    funcion="capas.mapas.trabajo.imprimir",
    plantilla="capas/imprimir_resultado.html",
    contexto="capas.mapas.trabajo.contexto",
)
DIRECTORIO = "impresiones"
ARCHIVOS = {"pdf": ("mapa.pdf", "application/pdf"), "png": ("mapa.png", "image/png")}


def carpeta_de(trabajo_id: int) -> Path:
    """Devuelve la carpeta (bajo MEDIA_ROOT) con el PDF y el PNG de una impresión."""
    return Path(settings.MEDIA_ROOT) / DIRECTORIO / str(int(trabajo_id))


def condiciones_de_filtros(filtros: dict[str, list[str]]):
    """Devuelve ``capa -> (sql_donde, parámetros)`` con los filtros del visor (``f_*``), o None sin filtros.

    Punto de enganche con ``capas.filtros.condicion`` (contrato 1): la misma función que usan el
    GeoJSON, la tabla y la exportación, así el papel muestra lo mismo que la pantalla.
    """
    if not filtros:
        return None
    from capas.filtros import condicion

    consulta = QueryDict(mutable=True)
    for nombre, valores in filtros.items():
        consulta.setlist(nombre, valores)
    return lambda capa: condicion(capa, consulta)


def imprimir(trabajo, progreso) -> dict:
    """Compone la hoja descrita en los parámetros del trabajo y guarda su PDF y su PNG."""
    # matplotlib se importa aquí, en el hijo: ni el sitio ni el arranque pagan su carga.
    from capas.mapas import cartela, impresion

    p = trabajo.parametros
    inicio = time.perf_counter()
    capas = []
    for nombre in p["capas"]:
        try:
            # Se vuelve a mirar el permiso: pudo cambiar entre la petición y el trabajo.
            capas.append(registro.obtener(nombre, trabajo.usuario))
        except CapaNoEncontrada:
            raise TrabajoRechazado(f"La capa «{nombre}» ya no existe o usted ya no puede verla.")
    hoja = impresion.Hoja(
        titulo=p["titulo"],
        bbox=tuple(p["bbox"]),
        capas=tuple(capas),
        autor=p["autor"],
        fecha=timezone.localtime(),
        permalink=p.get("permalink", ""),
        formato=p["formato"],
        condiciones=condiciones_de_filtros(p.get("filtros") or {}),
    )
    progreso(0, 2, "Dibujando las capas")
    compuesta = impresion.hoja_componer(hoja)
    progreso(1, 2, "Guardando PDF y PNG")
    # Se escribe en la carpeta del trabajo (se borra si el hijo muere) y al final se mueve entera.
    borrador = Path(trabajo.carpeta) / "impresion"
    borrador.mkdir(parents=True, exist_ok=True)
    impresion.hoja_guardar(
        compuesta, hoja, pdf=borrador / ARCHIVOS["pdf"][0], png=borrador / ARCHIVOS["png"][0]
    )
    destino = carpeta_de(trabajo.pk)
    destino.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(destino, ignore_errors=True)  # de un trabajo viejo con el mismo id (respaldo restaurado)
    shutil.move(borrador, destino)
    rutas = {clave: destino / nombre for clave, (nombre, _tipo) in ARCHIVOS.items()}
    progreso(2, 2, "Listo")
    return {
        "escala": compuesta.marco.escala,
        "escala_texto": f"1:{cartela.numero_es(compuesta.marco.escala)}",
        "srid": compuesta.marco.srid,
        "hoja": FORMATOS[hoja.formato].titulo,
        "capas": [
            {"nombre": d.capa.nombre, "titulo": d.capa.titulo, "elementos": d.elementos}
            for d in compuesta.dibujadas
        ],
        "bytes": {clave: ruta.stat().st_size for clave, ruta in rutas.items()},
        "segundos": round(time.perf_counter() - inicio, 2),
    }


def contexto(trabajo) -> dict:
    """Devuelve lo que muestra la página del trabajo terminado: escala, capas y enlaces de descarga."""
    disponibles = [
        clave for clave, (nombre, _t) in ARCHIVOS.items() if (carpeta_de(trabajo.pk) / nombre).is_file()
    ]
    return {"impresion": trabajo.resultado, "descargas": disponibles}
