"""Verificación del contenido antes de abrirlo con GDAL: firma del formato, XML seguro y CRS sin URL.

GDAL elige el controlador por el contenido, no por la extensión: un VRT (XML) llamado .geojson o
.csv lo abriría el controlador VRT, que puede leer otros archivos o la red. Por eso cada formato se
reconoce aquí por su firma, y los CRS escritos en el archivo se aceptan solo como códigos.
"""

import json
import re
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from capas.importacion.informe import ImportacionRechazada

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
_RE_CLAVE_CRS = re.compile(rb'"crs"\s*:\s*\{')
_BLOQUE = 1024 * 1024
_SOLAPE = 4096


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
    if not ruta.with_suffix(".dbf").is_file():
        raise ImportacionRechazada(
            f"Al shapefile «{ruta.name}» le falta su .dbf (atributos): súbalo en un .zip con .shp, .shx, "
            ".dbf y .prj.",
            codigo="shapefile_incompleto",
        )
    prj = ruta.with_suffix(".prj")
    if prj.is_file():
        texto = prj.read_bytes()[:65536].decode("latin-1")
        if "://" in texto:
            raise ImportacionRechazada(
                "El .prj declara el sistema de coordenadas con una URL; use un .prj WKT o --srid.",
                codigo="crs_url",
            )


def _geojson(ruta: Path, cabeza: bytes) -> None:
    if not cabeza.removeprefix(_BOM).lstrip().startswith(b"{"):
        _rechazar(ruta, "GeoJSON", "no empieza con un objeto JSON")
    with ruta.open("rb") as archivo:
        anterior = b""
        while bloque := archivo.read(_BLOQUE):
            texto = anterior + bloque
            for encontrado in _RE_CLAVE_CRS.finditer(texto):
                _validar_crs_geojson(texto, encontrado.end() - 1, archivo)
            anterior = texto[-_SOLAPE:]


def _validar_crs_geojson(texto: bytes, inicio: int, archivo) -> None:
    """Valida el objeto ``crs`` que empieza en ``inicio``: solo ``name`` con un código, nunca URL."""
    fragmento = texto[inicio : inicio + _SOLAPE]
    if len(fragmento) < _SOLAPE:
        posicion = archivo.tell()
        fragmento += archivo.read(_SOLAPE)
        archivo.seek(posicion)
    crs = _objeto_json(fragmento)
    nombre = ""
    if isinstance(crs, dict) and crs.get("type") == "name" and isinstance(crs.get("properties"), dict):
        nombre = str(crs["properties"].get("name", ""))
    if _RE_CRS_CODIGO.match(nombre):
        return
    if "://" in json.dumps(crs) or (isinstance(crs, dict) and crs.get("type") == "link"):
        raise ImportacionRechazada(
            "El GeoJSON declara su sistema de coordenadas con una URL o un enlace; no se aceptan CRS "
            "por URL. Declare un código (p. ej. «EPSG:4326») o indique el SRID al importar.",
            codigo="crs_url",
        )
    raise ImportacionRechazada(
        f"El GeoJSON declara un sistema de coordenadas no reconocido ({json.dumps(crs)[:200]}); "
        "use un código EPSG.",
        codigo="crs",
    )


def _objeto_json(fragmento: bytes):
    """Devuelve el primer objeto JSON del fragmento (balanceando llaves), o None si no cierra."""
    profundidad, en_texto, escape = 0, False, False
    for i, byte in enumerate(fragmento):
        caracter = chr(byte)
        if en_texto:
            escape = not escape and caracter == "\\"
            en_texto = escape or caracter != '"'
        elif caracter == '"':
            en_texto = True
        elif caracter == "{":
            profundidad += 1
        elif caracter == "}":
            profundidad -= 1
            if profundidad == 0:
                try:
                    return json.loads(fragmento[: i + 1])
                except ValueError:
                    return None
    return None


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
        _rechazar(ruta, "KML", f"XML mal formado ({error})")


def _csv(ruta: Path, cabeza: bytes) -> None:
    inicio = cabeza.removeprefix(_BOM).lstrip()
    if inicio.startswith(b"<") or b"\x00" in cabeza:
        _rechazar(ruta, "CSV", "parece XML o binario, no texto separado por comas")
