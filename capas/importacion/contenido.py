"""Verificación del contenido antes de abrirlo con GDAL: firma del formato, XML seguro y CRS sin URL.

GDAL elige el controlador por el contenido, no por la extensión: un VRT (XML) llamado .geojson o
.csv lo abriría el controlador VRT, que puede leer otros archivos o la red. Por eso cada formato se
reconoce aquí por su firma, y los CRS escritos en el archivo se aceptan solo como códigos.
"""

import json
import logging
import re
from pathlib import Path
from xml.etree.ElementTree import ParseError

import ijson
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from capas.importacion.informe import ImportacionRechazada

logger = logging.getLogger(__name__)

_FIRMAS_TIFF = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
_SQLITE = b"SQLite format 3\x00"
# application_id de un GeoPackage (desplazamiento 68 de la cabecera SQLite).
_GPKG_IDS = (b"GPKG", b"GP10", b"GP11")
_BOM = b"\xef\xbb\xbf"
# Formas de declarar un CRS por código que GDAL resuelve sin red.
_RE_CRS_CODIGO = re.compile(
    r"^(EPSG:\d+|urn:ogc:def:crs:EPSG:[\d.]*:\d+|urn:ogc:def:crs:OGC:[\d.]*:CRS84|(OGC:)?CRS84)$",
    re.IGNORECASE,
)
# Eventos JSON que puede ocupar un miembro crs legítimo; más allá no es un CRS por código.
_MAX_EVENTOS_CRS = 64


def verificar_contenido(ruta: Path, controlador: str) -> None:
    """Lanza ImportacionRechazada si el contenido no es del formato que anuncia su extensión."""
    with ruta.open("rb") as archivo:
        cabeza = archivo.read(4096)
    verificadores = {
        "GTiff": _tiff,
        "GPKG": _gpkg,
        "ESRI Shapefile": _shapefile,
        "GeoJSON": _geojson,
        "KML": _kml,
        "CSV": _csv,
    }
    verificadores[controlador](ruta, cabeza)


def _rechazar(ruta: Path, formato: str, detalle: str = "") -> None:
    """Lanza el rechazo de un archivo que no es lo que dice ser."""
    mensaje = f"«{ruta.name}» no es un {formato} válido"
    raise ImportacionRechazada(mensaje + (f": {detalle}." if detalle else "."), codigo="contenido")


def _tiff(ruta: Path, cabeza: bytes) -> None:
    if not cabeza.startswith(_FIRMAS_TIFF):
        _rechazar(ruta, "GeoTIFF", "falta la firma TIFF")


def _gpkg(ruta: Path, cabeza: bytes) -> None:
    if not cabeza.startswith(_SQLITE) or cabeza[68:72] not in _GPKG_IDS:
        _rechazar(ruta, "GeoPackage", "no es una base SQLite con application_id GPKG")


def _shapefile(ruta: Path, cabeza: bytes) -> None:
    if int.from_bytes(cabeza[:4], "big") != 9994:
        _rechazar(ruta, "Shapefile", "el .shp no tiene la firma 9994")
    if hermano(ruta, ".dbf") is None:
        raise ImportacionRechazada(
            f"Al shapefile «{ruta.name}» le falta su .dbf (atributos): súbalo en un .zip con .shp, .shx, "
            ".dbf y .prj.",
            codigo="shapefile_incompleto",
        )


def hermano(ruta: Path, extension: str) -> Path | None:
    """Devuelve el archivo junto a ``ruta`` con la misma base y ``extension``, sin distinguir mayúsculas."""
    buscado = (ruta.stem + extension).lower()
    return next((p for p in sorted(ruta.parent.iterdir()) if p.name.lower() == buscado and p.is_file()), None)


def verificar_prjs(directorio: Path) -> None:
    """Rechaza si algún .prj de la entrega (cualquier mayúscula) declara su CRS con una URL.

    Se revisan todos, no solo el del .shp: GDAL también lee el .prj que acompaña a un CSV.
    """
    for prj in sorted(p for p in directorio.rglob("*") if p.suffix.lower() == ".prj" and p.is_file()):
        texto = prj.read_bytes()[:65536].decode("latin-1")
        if "://" in texto:
            base = (
                f"El archivo «{prj.name}» declara el sistema de coordenadas con una URL; use un .prj WKT o "
            )
            raise ImportacionRechazada(
                base + "escriba el código EPSG en el campo «SRID (EPSG)».",
                en_orden=base + "--srid.",
                codigo="crs_url",
            )


def _geojson(ruta: Path, cabeza: bytes) -> None:
    """Recorre el JSON completo (en flujo) y valida cada miembro ``crs`` del objeto raíz.

    Se analiza el JSON de verdad y no con una expresión regular: una clave escrita ``"\\u0063rs"``
    o precedida de mucho espacio es el mismo ``crs`` para GDAL.
    """
    with ruta.open("rb") as archivo:
        if archivo.read(len(_BOM)) != _BOM:
            archivo.seek(0)
        try:
            _recorrer_geojson(ruta, archivo)
        except ijson.JSONError as error:
            logger.info("GeoJSON mal formado %s: %s", ruta.name, error)
            _rechazar(ruta, "GeoJSON", "el JSON está mal formado o incompleto")
        except UnicodeDecodeError as error:
            logger.info("GeoJSON con texto no UTF-8 %s: %s", ruta.name, error)
            _rechazar(ruta, "GeoJSON", "el texto no está en UTF-8")


def _recorrer_geojson(ruta, archivo) -> None:
    """Valida los miembros ``crs`` de primer nivel (GDAL busca la clave sin distinguir mayúsculas)."""
    constructor, eventos = None, 0
    for prefijo, evento, valor in ijson.parse(archivo):
        if prefijo == "" and evento not in ("start_map", "map_key", "end_map"):
            _rechazar(ruta, "GeoJSON", "no es un objeto JSON")
        if constructor is not None:
            if prefijo == "" and evento in ("map_key", "end_map"):
                _validar_crs_geojson(constructor.value)
                constructor = None
            else:
                eventos += 1
                if eventos > _MAX_EVENTOS_CRS:
                    raise ImportacionRechazada(
                        "El GeoJSON declara un sistema de coordenadas demasiado extenso; use un código EPSG.",
                        codigo="crs",
                    )
                constructor.event(evento, valor)
        if prefijo == "" and evento == "map_key" and valor.lower() == "crs":
            constructor, eventos = ijson.ObjectBuilder(), 0


def _validar_crs_geojson(crs) -> None:
    """Valida un objeto ``crs``: solo ``name`` con un código, nunca URL ni enlace (null se ignora)."""
    if crs is None:
        return
    nombre = ""
    if isinstance(crs, dict) and crs.get("type") == "name" and isinstance(crs.get("properties"), dict):
        nombre = str(crs["properties"].get("name", ""))
    if _RE_CRS_CODIGO.match(nombre):
        return
    texto = json.dumps(crs, default=str)
    if "://" in texto or (isinstance(crs, dict) and crs.get("type") == "link"):
        raise ImportacionRechazada(
            "El GeoJSON declara su sistema de coordenadas con una URL o un enlace; no se aceptan CRS "
            "por URL. Declare un código (p. ej. «EPSG:4326») o indique el SRID al importar.",
            codigo="crs_url",
        )
    raise ImportacionRechazada(
        f"El GeoJSON declara un sistema de coordenadas no reconocido ({texto[:200]}); use un código EPSG.",
        codigo="crs",
    )


def _kml(ruta: Path, cabeza: bytes) -> None:
    """Recorre el KML con defusedxml: sin DTD ni entidades (XXE), raíz kml y sin NetworkLink."""
    raiz = None
    try:
        for evento, elemento in iterparse(str(ruta), events=("start", "end"), forbid_dtd=True):
            etiqueta = elemento.tag.rsplit("}", 1)[-1]
            if raiz is None:
                raiz = etiqueta
                if raiz != "kml":
                    _rechazar(ruta, "KML", f"la raíz es <{raiz}>, no <kml>")
            if etiqueta == "NetworkLink":
                raise ImportacionRechazada(
                    "El KML contiene un NetworkLink (carga datos de la red); exporte las capas locales.",
                    codigo="kml_red",
                )
            if evento == "end" and etiqueta in ("Placemark", "Folder", "Document"):
                elemento.clear()
    except DefusedXmlException:
        raise ImportacionRechazada(
            "El KML declara un DTD o entidades XML (posible ataque XXE); se rechaza sin leerlo.",
            codigo="xml_inseguro",
        )
    except ParseError as error:
        logger.info("KML mal formado %s: %s", ruta.name, error)
        _rechazar(ruta, "KML", "el XML está mal formado")


def _csv(ruta: Path, cabeza: bytes) -> None:
    inicio = cabeza.removeprefix(_BOM).lstrip()
    if inicio.startswith(b"<") or b"\x00" in cabeza:
        _rechazar(ruta, "CSV", "parece XML o binario, no texto separado por comas")
