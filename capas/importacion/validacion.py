"""Validaciones comunes a capas vectoriales y ráster: nombre, categoría, SRID y entorno de la comuna."""

import logging
import math
from contextlib import contextmanager

import shapely
import shapely.ops
from django.conf import settings
from django.contrib.gis.gdal import GDALException, SpatialReference
from django.contrib.gis.gdal.error import SRSException
from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError
from django.utils.module_loading import import_string

from capas import categorias
from capas.geometria import a_srid_almacenamiento, ampliar, invertir_ejes
from capas.importacion.informe import ImportacionRechazada
from capas.models import CapaRaster, CapaReferencia
from capas.registro import RE_NOMBRE, registro
from capas.srid import srid_almacenamiento

logger = logging.getLogger(__name__)

RADIO_TIERRA_KM = 6371.0088
# Restricciones que hacen único el identificador: la tabla común (migración 0004) y la de cada clase.
_RESTRICCIONES_NOMBRE = {
    "capas_nombrecapa_pkey",
    "capas_capareferencia_nombre_key",
    "capas_caparaster_nombre_key",
}


def validar_nombre(nombre: str) -> None:
    """Lanza ImportacionRechazada si el identificador no es un slug libre para una capa nueva."""
    if not RE_NOMBRE.match(nombre or ""):
        raise ImportacionRechazada(
            f"Identificador inválido «{nombre}»: use minúsculas, dígitos, - o _, empezando con letra "
            "(2 a 63 caracteres).",
            codigo="nombre",
        )
    if registro.es_estatica(nombre):
        raise ImportacionRechazada(
            f"«{nombre}» es el identificador de una capa del sistema; elija otro.", codigo="nombre"
        )
    # Aviso temprano, antes de leer el archivo; quien garantiza la unicidad es la base (nombre_en_base).
    if (
        CapaReferencia.objects.filter(nombre=nombre).exists()
        or CapaRaster.objects.filter(nombre=nombre).exists()
    ):
        raise _nombre_en_uso(nombre)


def _nombre_en_uso(nombre: str) -> ImportacionRechazada:
    """Devuelve el rechazo de un identificador que ya usa otra capa, vectorial o ráster."""
    return ImportacionRechazada(f"Ya existe una capa «{nombre}»; elija otro identificador.", codigo="nombre")


@contextmanager
def nombre_en_base(nombre: str):
    """Traduce el rechazo de la base al guardar la capa ``nombre`` en un ImportacionRechazada en español.

    Dos importaciones simultáneas con el mismo identificador pasan ambas ``validar_nombre``; la base
    (tabla ``capas_nombrecapa`` y sus triggers) detiene a la segunda con una violación de unicidad.
    """
    try:
        yield
    except IntegrityError as error:
        restriccion = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
        if restriccion in _RESTRICCIONES_NOMBRE:
            raise _nombre_en_uso(nombre) from None
        logger.warning("La base rechazó la capa %s: %s", nombre, error)
        raise ImportacionRechazada("La base rechazó la capa; nada se importó.", codigo="base") from None


def validar_categoria(categoria: str) -> None:
    """Lanza ImportacionRechazada si la categoría no es una de las registradas."""
    if categoria not in categorias.valores():
        raise ImportacionRechazada(
            f"Categoría desconocida «{categoria}»; use una de: {', '.join(categorias.valores())}.",
            codigo="categoria",
        )


def validar_srid(srid: int) -> int:
    """Devuelve ``srid`` si PROJ lo conoce como código EPSG; si no, lanza ImportacionRechazada."""
    try:
        SpatialReference(int(srid))
    except (GDALException, SRSException, ValueError, TypeError):
        raise ImportacionRechazada(f"EPSG:{srid} no es un sistema de coordenadas conocido.", codigo="crs")
    return int(srid)


def srid_declarado(crs: str | None) -> int | None:
    """Devuelve el código EPSG del CRS que declara el archivo (None si no declara ninguno)."""
    if not crs:
        return None
    if "://" in crs:
        base = "El archivo declara su sistema de coordenadas con una URL; no se aceptan CRS por URL. "
        raise ImportacionRechazada(
            base + "Escriba el código EPSG en el campo «SRID (EPSG)».",
            en_orden=base + "Indique el SRID (--srid).",
            codigo="crs_url",
        )
    autoridad, _sep, codigo = crs.partition(":")
    if autoridad.upper() == "EPSG" and codigo.isdigit():
        return int(codigo)
    if crs.upper() in ("OGC:CRS84", "CRS84"):
        return 4326
    try:
        referencia = SpatialReference(crs)
        referencia.identify_epsg()
    except (GDALException, SRSException):
        referencia = None
    if referencia is None or not referencia.srid:
        base = (
            "El sistema de coordenadas del archivo no corresponde a un código EPSG conocido; indique cuál es "
        )
        raise ImportacionRechazada(
            base + "en el campo «SRID (EPSG)» (p. ej. 5362, 32719 o 4326).",
            en_orden=base + "con --srid (p. ej. 5362, 32719 o 4326).",
            codigo="crs",
        )
    return referencia.srid


def resolver_srid(crs: str | None, srid_usuario: int | None) -> tuple[int, int | None]:
    """Devuelve (SRID a usar, SRID declarado en el archivo): el del usuario manda sobre el declarado."""
    if srid_usuario:
        declarado = None
        try:
            declarado = srid_declarado(crs)
        except ImportacionRechazada:
            declarado = None  # el usuario lo reemplaza: no importa que el declarado no se entienda
        return validar_srid(srid_usuario), declarado
    declarado = srid_declarado(crs)
    if declarado is None:
        base = "El archivo no declara su sistema de coordenadas; indique cuál es "
        ejemplos = " (p. ej. 4326 para lon/lat WGS84, 4674 INE, 32719 DGA, 5362 SIRGAS-Chile UTM 18S)."
        raise ImportacionRechazada(
            base + "en el campo «SRID (EPSG)»" + ejemplos,
            en_orden=base + "con --srid" + ejemplos,
            codigo="sin_crs",
        )
    return validar_srid(declarado), declarado


def extension_en_almacenamiento(limites: tuple[float, float, float, float], srid: int) -> GEOSGeometry:
    """Devuelve el rectángulo (xmin, ymin, xmax, ymax) de ``srid`` como polígono en 4326, densificado."""
    xmin, ymin, xmax, ymax = limites
    if not all(math.isfinite(v) for v in limites):
        raise ImportacionRechazada("La capa no tiene geometrías con coordenadas válidas.", codigo="vacia")
    if srid == srid_almacenamiento() and (
        abs(xmin) > 180 or abs(xmax) > 180 or abs(ymin) > 90 or abs(ymax) > 90
    ):
        base = (
            f"Las coordenadas (x {xmin:.7g}…{xmax:.7g}, y {ymin:.7g}…{ymax:.7g}) no son longitud y "
            f"latitud: parecen métricas (UTM). "
        )
        correcto = "el SRID correcto (p. ej. 32719, 5361 o 5362)."
        raise ImportacionRechazada(
            base + f"El archivo o el campo «SRID (EPSG)» dice EPSG:{srid}; escriba en ese campo " + correcto,
            en_orden=base + f"El archivo o --srid dice EPSG:{srid}; indique con --srid " + correcto,
            codigo="crs_incorrecto",
        )
    # Una capa de un solo punto (o alineada) tiene caja degenerada: se ensancha para que sea polígono.
    margen = 1e-7 if xmax - xmin == 0 or ymax - ymin == 0 else 0.0
    caja = shapely.box(xmin - margen, ymin - margen, xmax + margen, ymax + margen)
    caja = shapely.segmentize(caja, max(xmax - xmin, ymax - ymin, 1e-9) / 16)
    poligono = GEOSGeometry(memoryview(shapely.to_wkb(caja)), srid=srid)
    try:
        return a_srid_almacenamiento(poligono)
    except GDALException:
        raise ImportacionRechazada(
            f"Las coordenadas no se pueden transformar desde EPSG:{srid}: ¿es ese su sistema de coordenadas?",
            codigo="crs_incorrecto",
        )


def verificar_entorno(extension: GEOSGeometry, *, srid: int, confirmar_fuera: bool) -> str | None:
    """Rechaza una capa que no toca la comuna ampliada (CAPAS_ENTORNO_M) salvo que se confirme.

    Devuelve un aviso para el informe (se confirmó, o no hay comuna cargada) o None si la toca.
    """
    limite = import_string(settings.CAPAS_LIMITE_REFERENCIA)()
    if limite is None:
        return "No hay límite comunal cargado: no se verificó que la capa toque la comuna."
    entorno_m = settings.CAPAS_ENTORNO_M
    ampliado = ampliar(limite, entorno_m)
    if extension.intersects(ampliado):
        return None
    entorno_km = entorno_m / 1000
    if confirmar_fuera:
        return (
            f"La capa no toca la comuna ni su entorno de {entorno_km:.0f} km; se importó porque el usuario "
            "lo confirmó."
        )
    invertida = invertir_ejes(extension)
    if invertida is not None and invertida.intersects(ampliado):
        raise ImportacionRechazada(
            f"La capa no toca la comuna ni su entorno de {entorno_km:.0f} km, pero sí lo haría con latitud "
            "y longitud intercambiadas: revise el orden de las coordenadas (debe ser lon, lat) o las "
            "columnas x/y. Nada se importó.",
            codigo="lat_lon_invertidas",
        )
    km = _distancia_km(extension, ampliado)
    xmin, ymin, xmax, ymax = extension.extent
    raise ImportacionRechazada(
        f"La capa (lon {xmin:.3f}…{xmax:.3f}, lat {ymin:.3f}…{ymax:.3f}) queda a {km:.0f} km del entorno "
        f"de {entorno_km:.0f} km de la comuna. ¿Es EPSG:{srid} su sistema de coordenadas? Si la capa es "
        "correcta, confirme que quiere importarla fuera de la comuna.",
        codigo="fuera_de_comuna",
    )


def _distancia_km(a: GEOSGeometry, b: GEOSGeometry) -> float:
    """Devuelve la distancia aproximada (haversine entre los puntos más cercanos) en km."""
    p, q = shapely.ops.nearest_points(shapely.from_wkb(bytes(a.wkb)), shapely.from_wkb(bytes(b.wkb)))
    lon1, lat1, lon2, lat2 = map(math.radians, (p.x, p.y, q.x, q.y))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * RADIO_TIERRA_KM * math.asin(min(1.0, math.sqrt(h)))
