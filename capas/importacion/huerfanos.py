"""Archivos ráster sin capa: lo que dejó una importación cuya transacción se revirtió o se cortó.

``raster_importar`` deja el GeoTIFF en su lugar antes de confirmar (así una capa confirmada nunca
apunta a un archivo ausente). Si la transacción de afuera se revierte después, o el proceso muere
entre el movimiento y la confirmación, el archivo queda sin fila. Aquí se encuentran y se borran;
se respetan los recientes (``antiguedad_min``) para no tocar una importación en curso.
"""

import time
from pathlib import Path

from django.conf import settings

from capas.importacion.raster import DIRECTORIO
from capas.models import CapaRaster


def rasters_huerfanos(*, antiguedad_min: float = 60) -> list[Path]:
    """Devuelve los archivos del directorio de rásteres que ninguna capa nombra y no son recientes."""
    directorio = Path(settings.MEDIA_ROOT) / DIRECTORIO
    if not directorio.is_dir():
        return []
    nombrados = set(CapaRaster.objects.values_list("archivo", flat=True))
    limite = time.time() - antiguedad_min * 60
    return sorted(
        ruta
        for ruta in directorio.iterdir()
        if ruta.is_file() and f"{DIRECTORIO}/{ruta.name}" not in nombrados and ruta.stat().st_mtime < limite
    )


def rasters_huerfanos_borrar(*, antiguedad_min: float = 60) -> list[Path]:
    """Borra los archivos huérfanos y devuelve cuáles borró."""
    huerfanos = rasters_huerfanos(antiguedad_min=antiguedad_min)
    for ruta in huerfanos:
        ruta.unlink(missing_ok=True)
    return huerfanos
