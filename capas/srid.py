"""Política de SRID: almacenamiento único y SRID métrico derivado de la ubicación (docs/srid.md)."""

from functools import lru_cache

from django.conf import settings
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry

# SIRGAS-Chile 2002 / UTM por huso; fuera de ellos, WGS 84 / UTM sur.
_SIRGAS_CHILE_UTM_SUR = {18: 5362, 19: 5361}


def srid_almacenamiento() -> int:
    """Devuelve el SRID en que se guardan todas las geometrías."""
    return settings.TERRITORIO_SRID


def huso_utm(lon: float) -> int:
    """Devuelve el huso UTM (1–60) que contiene la longitud dada."""
    return min(int((lon + 180.0) // 6.0) + 1, 60)


def srid_metrico(lon: float, lat: float) -> int:
    """Devuelve el SRID UTM métrico para trabajar áreas y distancias cerca de (lon, lat)."""
    huso = huso_utm(lon)
    if lat < 0 and huso in _SIRGAS_CHILE_UTM_SUR:
        return _SIRGAS_CHILE_UTM_SUR[huso]
    return (32700 if lat < 0 else 32600) + huso


def srid_metrico_de(geom: GEOSGeometry) -> int:
    """Devuelve el SRID UTM métrico del lugar de ``geom`` (el de su centroide, en grados)."""
    centro = geom.centroid
    return srid_metrico(centro.x, centro.y)


@lru_cache(maxsize=32)
def transformacion(origen: int, destino: int) -> CoordTransform:
    """Devuelve la transformación entre dos SRID, creada una vez (crearla cuesta ~0,1 s con PROJ)."""
    return CoordTransform(SpatialReference(origen), SpatialReference(destino))


def reproyectar(geom: GEOSGeometry, destino: int) -> GEOSGeometry:
    """Devuelve una copia de la geometría en el SRID ``destino``."""
    if geom.srid == destino:
        return geom.clone()
    copia = geom.transform(transformacion(geom.srid, destino), clone=True)
    copia.srid = destino
    return copia
