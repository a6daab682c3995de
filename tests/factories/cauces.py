"""Capas de referencia sintéticas para la franja de cauces: líneas y polígonos dados en metros UTM."""

from django.contrib.gis.geos import LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon

from capas.models import CapaReferencia, ElementoReferencia
from capas.srid import reproyectar, srid_almacenamiento
from tests.factories import CENTRO

# Un punto hondo en la comuna (al norte del pueblo): franjas de 1 km alrededor no tocan el límite.
INTERIOR = (-73.075, -38.955)


def centro_utm(srid_metrico: int, lon: float = INTERIOR[0], lat: float = INTERIOR[1]) -> tuple[float, float]:
    """Devuelve (x, y) en ``srid_metrico`` de un lugar dado en lon/lat (por omisión, INTERIOR)."""
    punto = reproyectar(Point(lon, lat, srid=4326), srid_metrico)
    return punto.x, punto.y


def _guardar(geom, srid_metrico: int):
    """Devuelve la geometría dada en ``srid_metrico`` llevada al SRID de almacenamiento."""
    geom.srid = srid_metrico
    return reproyectar(geom, srid_almacenamiento())


def capa_de_geometrias(
    nombre: str, tipo: str, geometrias: list, atributos: list[dict] | None = None, **campos
):
    """Crea una capa de referencia con las geometrías (ya en almacenamiento) y sus atributos, fid 1…n."""
    atributos = atributos or [{} for _ in geometrias]
    claves = dict.fromkeys(k for a in atributos for k in a)
    capa = CapaReferencia.objects.create(
        nombre=nombre,
        titulo=campos.pop("titulo", f"Capa {nombre}"),
        categoria=campos.pop("categoria", "referencia"),
        tipo_geometria=tipo,
        srid_origen=4326,
        archivo_origen=f"{nombre}.geojson",
        formato="GeoJSON",
        n_elementos=len(geometrias),
        campos=[
            {"nombre": k, "tipo": "entero" if isinstance(atributos[0].get(k), int) else "texto"}
            for k in claves
        ],
        **campos,
    )
    ElementoReferencia.objects.bulk_create(
        ElementoReferencia(capa=capa, fid=i, geom=g, atributos=a)
        for i, (g, a) in enumerate(zip(geometrias, atributos, strict=True), start=1)
    )
    return capa


def capa_de_lineas(
    nombre: str, lineas: list, *, srid_metrico: int, atributos=None, **campos
) -> CapaReferencia:
    """Crea una capa de líneas; cada línea es una lista de vértices (x, y) en metros de ``srid_metrico``."""
    geometrias = [_guardar(MultiLineString(LineString(v)), srid_metrico) for v in lineas]
    return capa_de_geometrias(nombre, "MultiLineString", geometrias, atributos, **campos)


def capa_de_poligonos(
    nombre: str, anillos: list, *, srid_metrico: int, atributos=None, **campos
) -> CapaReferencia:
    """Crea una capa de polígonos; cada uno es su anillo exterior (x, y) en metros de ``srid_metrico``."""
    geometrias = [_guardar(MultiPolygon(Polygon(a)), srid_metrico) for a in anillos]
    return capa_de_geometrias(nombre, "MultiPolygon", geometrias, atributos, **campos)


def capa_de_puntos(nombre: str, *, lon: float = CENTRO[0], lat: float = CENTRO[1]) -> CapaReferencia:
    """Crea una capa de un punto (no sirve de origen de una franja)."""
    return capa_de_geometrias(nombre, "MultiPoint", [MultiPoint(Point(lon, lat), srid=4326)])
