"""Validación de geometrías: validez con motivo y ubicación, SRID y pertenencia a un límite."""

import re
from functools import lru_cache

import numpy as np
import shapely
from django.contrib.gis.gdal import GDALException, SpatialReference
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiLineString, MultiPoint, MultiPolygon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from capas.srid import reproyectar, srid_almacenamiento, srid_metrico_de

# Motivos de GEOS/PostGIS (ST_IsValidReason) traducidos para quien edita.
_MOTIVOS = {
    "Self-intersection": "autointersección",
    "Ring Self-intersection": "autointersección de un anillo",
    "Too few points in geometry component": "un componente tiene muy pocos puntos",
    "Hole lies outside shell": "un agujero queda fuera del contorno exterior",
    "Nested holes": "agujeros anidados",
    "Interior is disconnected": "el interior está desconectado",
    "Nested shells": "contornos exteriores anidados",
    "Duplicate Rings": "anillos duplicados",
    "Invalid Coordinate": "coordenada inválida (NaN o infinita)",
    "Ring is not closed": "un anillo no está cerrado",
}
# Más allá de 1e8 m (100.000 km) ninguna coordenada proyectada terrestre tiene sentido.
LIMITE_PROYECTADO = 1e8
_RE_MOTIVO = re.compile(r"^(?P<motivo>[^\[]+?)\s*\[(?P<x>\S+) (?P<y>\S+)\]")


def motivo_invalidez(geom: GEOSGeometry) -> str | None:
    """Devuelve el motivo en español por el que la geometría es inválida, o None si es válida."""
    if geom.empty:
        return _("la geometría está vacía")
    if geom.valid:
        return None
    razon = geom.valid_reason
    encontrado = _RE_MOTIVO.match(razon)
    if not encontrado:
        return _MOTIVOS.get(razon, razon)
    motivo = _MOTIVOS.get(encontrado["motivo"], encontrado["motivo"])
    return _("%(motivo)s en %(lugar)s") % {
        "motivo": motivo,
        "lugar": formatear_lugar(float(encontrado["x"]), float(encontrado["y"]), geom.srid),
    }


def formatear_lugar(x: float, y: float, srid: int | None) -> str:
    """Devuelve un punto legible: lon/lat si es geográfico, x/y si es proyectado."""
    if srid in (4326, 4674, 9153, 5360, None):
        return f"lon {x:.6f}, lat {y:.6f}"
    return f"x {x:.2f}, y {y:.2f} (EPSG:{srid})"


def a_srid_almacenamiento(geom: GEOSGeometry) -> GEOSGeometry:
    """Devuelve la geometría en el SRID de almacenamiento (sin SRID se asume ese mismo)."""
    destino = srid_almacenamiento()
    if geom.srid is None:
        geom = geom.clone()
        geom.srid = destino
    elif geom.srid != destino:
        geom = reproyectar(geom, destino)
    return geom


def validar_geometria(geom: GEOSGeometry, *, campo: str = "geom") -> GEOSGeometry:
    """Devuelve la geometría en el SRID de almacenamiento o lanza ValidationError con el motivo."""
    motivo = motivo_coordenadas(geom) or motivo_invalidez(geom)
    if motivo is None:
        try:
            transformada = a_srid_almacenamiento(geom)
        except (GDALException, GEOSException):
            motivo = _("no se pudo transformar desde EPSG:%(srid)s al sistema de almacenamiento") % {
                "srid": geom.srid
            }
        else:
            motivo = motivo_coordenadas(transformada)
    if motivo:
        raise ValidationError(
            {campo: _("Geometría inválida: %(motivo)s.") % {"motivo": motivo}}, code="invalida"
        )
    return transformada


@lru_cache(maxsize=64)
def _es_geografico(srid: int) -> bool | None:
    """Indica si el SRID es geográfico (lon/lat en grados); None si GDAL no lo conoce."""
    try:
        return bool(SpatialReference(srid).geographic)
    except (GDALException, ValueError, TypeError):
        return None


def motivo_coordenadas(geom: GEOSGeometry) -> str | None:
    """Devuelve por qué las coordenadas no se pueden guardar (Z/M, NaN, infinitas, fuera de rango).

    Un formulario edita un registro a mano: una coordenada Z (altura) o M se rechaza con su motivo en
    vez de descartarse en silencio (el importador de archivos, en cambio, la quita).
    """
    if geom.hasz:
        return _("tiene coordenada Z (altura) o M; se guardan solo x e y: quite la tercera coordenada")
    srid = geom.srid or srid_almacenamiento()
    geografico = _es_geografico(srid)
    if geografico is None:
        return _("EPSG:%(srid)s no es un sistema de coordenadas conocido") % {"srid": srid}
    if geom.empty:
        return None
    xy = shapely.get_coordinates(shapely.from_wkb(bytes(geom.wkb)))
    if not np.isfinite(xy).all():
        return _("hay coordenadas no numéricas o infinitas (NaN, inf)")
    if geografico and (np.abs(xy[:, 0]).max() > 180 or np.abs(xy[:, 1]).max() > 90):
        return _(
            "hay coordenadas fuera de rango para EPSG:%(srid)s (la longitud va de -180 a 180 y la latitud "
            "de -90 a 90; ¿son coordenadas métricas, UTM, o están invertidas?)"
        ) % {"srid": srid}
    if not geografico and np.abs(xy).max() > LIMITE_PROYECTADO:
        return _("hay coordenadas fuera de rango para EPSG:%(srid)s (más de 100.000 km)") % {"srid": srid}
    return None


def validar_dentro_de(
    geom: GEOSGeometry,
    *,
    limite: GEOSGeometry,
    nombre: str,
    tolerancia_m: float,
    campo: str = "geom",
) -> None:
    """Lanza ValidationError si la geometría no cae dentro del límite (ya ampliado por la tolerancia)."""
    if limite.covers(geom):
        return
    invertida = invertir_ejes(geom)
    if invertida is not None and limite.covers(invertida):
        raise ValidationError(
            {
                campo: _(
                    "La geometría queda fuera de %(nombre)s, pero cae dentro si se intercambian "
                    "latitud y longitud: revise el orden de las coordenadas (lon, lat)."
                )
                % {"nombre": nombre}
            },
            code="fuera_de_limite",
        )
    fuera = geom.difference(limite)
    punto = (fuera if not fuera.empty else geom).point_on_surface
    metrico = srid_metrico_de(limite)
    distancia_km = reproyectar(limite, metrico).distance(reproyectar(punto, metrico)) / 1000.0
    raise ValidationError(
        {
            campo: _(
                "La geometría queda fuera de %(nombre)s (tolerancia %(tol).0f m): el punto "
                "%(lugar)s está a %(km).1f km del límite. ¿Se declaró bien el sistema de coordenadas?"
            )
            % {
                "nombre": nombre,
                "tol": tolerancia_m,
                "lugar": formatear_lugar(punto.x, punto.y, punto.srid),
                "km": distancia_km,
            }
        },
        code="fuera_de_limite",
    )


def invertir_ejes(geom: GEOSGeometry) -> GEOSGeometry | None:
    """Devuelve la geometría con x e y intercambiados, o None si no es posible."""
    try:
        forma = shapely.from_wkb(bytes(geom.wkb))
        invertida = shapely.transform(forma, lambda xy: xy[:, ::-1])
    except (shapely.errors.ShapelyError, ValueError):
        return None
    return GEOSGeometry(memoryview(shapely.to_wkb(invertida)), srid=geom.srid)


_MULTI = {"Point": MultiPoint, "LineString": MultiLineString, "Polygon": MultiPolygon}


def a_multi(geom: GEOSGeometry) -> GEOSGeometry:
    """Devuelve la geometría simple envuelta en su tipo Multi* (las Multi* quedan igual)."""
    envoltura = _MULTI.get(geom.geom_type)
    return envoltura(geom, srid=geom.srid) if envoltura else geom


def ampliar(geom: GEOSGeometry, metros: float, *, srid_trabajo: int | None = None) -> GEOSGeometry:
    """Devuelve ``geom`` ampliada ``metros``, medidos en un SRID métrico (el UTM del lugar por omisión)."""
    srid_trabajo = srid_trabajo or srid_metrico_de(geom)
    return a_multi(reproyectar(reproyectar(geom, srid_trabajo).buffer(metros), geom.srid))


def tipo_simple(tipo_geometria: str) -> str:
    """Devuelve el tipo OGC sin el prefijo Multi, en mayúsculas ('MultiPolygon' → 'POLYGON')."""
    return tipo_geometria.upper().removeprefix("MULTI")
