"""Informe de superposición con capas reales de La Araucanía, contra un cálculo independiente.

El cálculo de referencia no usa PostGIS: lee los archivos con pyogrio, proyecta con GDAL/PROJ al UTM
de la comuna y mide con shapely. SNASPE (CONAF) y humedales urbanos (MMA) quedan fuera de Teodoro
Schmidt: sirven para la distancia a la más cercana; el límite urbano del INE, para áreas.
"""

import pyogrio.raw
import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry

from apps.ordenamiento.preparacion import restricciones_preparar
from apps.ordenamiento.superposicion import informe_superposicion
from capas.importacion.vectorial import capa_importar
from capas.srid import reproyectar
from tests.conftest import DATOS_REALES

pytestmark = pytest.mark.django_db

SNASPE = DATOS_REALES / "conaf_snaspe_araucania.geojson"
HUMEDALES = DATOS_REALES / "mma_humedales_urbanos_araucania.geojson"
LIMITE_URBANO = DATOS_REALES / "ine2017_limite_urbano_r09_araucania.geojson"


def _a_utm(geom: shapely.Geometry, srid: int, origen: int = 4326) -> shapely.Geometry:
    """Devuelve la geometría en el UTM ``srid`` (proyectada con GDAL/PROJ, sin PostGIS)."""
    return shapely.from_wkb(bytes(reproyectar(GEOSGeometry(memoryview(geom.wkb), srid=origen), srid).wkb))


def _en_utm(ruta, srid: int) -> list[tuple[dict, shapely.Geometry]]:
    """Devuelve (atributos, geometría en el UTM) de cada elemento del archivo."""
    meta, _fids, wkbs, columnas = pyogrio.raw.read(ruta)
    origen = int(meta["crs"].split(":")[-1])
    return [
        (
            {nombre: columnas[j][i] for j, nombre in enumerate(meta["fields"])},
            _a_utm(shapely.from_wkb(wkb), srid, origen),
        )
        for i, wkb in enumerate(wkbs)
    ]


@pytest.fixture
def capas_reales(comuna, planificador):
    for ruta, nombre, categoria in (
        (SNASPE, "snaspe", "area_protegida"),
        (HUMEDALES, "humedales-urbanos", "humedal"),
        (LIMITE_URBANO, "limite-urbano", "utilidad_publica"),
    ):
        capa_importar(
            ruta=ruta,
            nombre=nombre,
            titulo=nombre,
            categoria=categoria,
            confirmar_fuera=True,
            actor=planificador,
        )


@pytest.fixture
def poligono(comuna):
    """Rectángulo de ~1,2 × 0,9 km que corta el límite urbano de Teodoro Schmidt."""
    return GEOSGeometry(
        "POLYGON((-73.100 -39.000, -73.085 -39.000, -73.085 -38.992, -73.100 -38.992, -73.100 -39.000))",
        srid=4326,
    )


@pytest.mark.parametrize("preparar", [False, True])
def test_areas_y_distancias_con_capas_reales_igualan_al_calculo_independiente(
    comuna, capas_reales, poligono, preparar
):
    if preparar:
        restricciones_preparar(comuna)
    srid = comuna.srid_metrico
    propuesta = _a_utm(shapely.from_wkt(poligono.wkt), srid)
    urbanos = shapely.union_all([g for _a, g in _en_utm(LIMITE_URBANO, srid)])
    esperada = shapely.intersection(urbanos, propuesta).area
    assert esperada > 100_000  # la prueba corta de verdad el límite urbano

    informe = informe_superposicion(poligono, comuna=comuna, uso="residencial", radio_m=60_000)
    assert informe["area_m2"] == pytest.approx(propuesta.area, rel=1e-6)
    categorias = {c["categoria"]: c for c in informe["categorias"]}
    assert categorias["utilidad_publica"]["area_m2"] == pytest.approx(esperada, rel=1e-6)
    assert categorias["utilidad_publica"]["condicion"] == "prohibido"
    assert informe["veredicto"] == "prohibido"

    distancias = {d["categoria"]: d for d in informe["distancias"]}
    for ruta, categoria, campo in (
        (SNASPE, "area_protegida", "nombre"),
        (HUMEDALES, "humedal", "nombre_humedal"),
    ):
        filas = _en_utm(ruta, srid)
        atributos, cercana = min(filas, key=lambda fila: shapely.distance(fila[1], propuesta))
        assert distancias[categoria]["distancia_m"] == pytest.approx(
            shapely.distance(cercana, propuesta), rel=1e-6
        )
        assert distancias[categoria]["elemento"] == str(atributos[campo])
    # Desde el pueblo (no desde el borde comunal, como cuenta el README de los datos): Cerro Ñielol a
    # unos 51 km y el humedal de Labranza a unos 17 km más cerca.
    assert 45_000 < distancias["area_protegida"]["distancia_m"] < 55_000
    assert "Ñielol" in distancias["area_protegida"]["elemento"]
    assert 25_000 < distancias["humedal"]["distancia_m"] < 45_000
