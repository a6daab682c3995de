"""Ayudas de las pruebas del ordenamiento: Las Condes (CUT 13114) con su PRC real y zonas sintéticas."""

import dataclasses
import json

import pytest

from apps.comunas.fuentes import limite_desde_archivo
from apps.comunas.services import comuna_cargar
from apps.ordenamiento.models import Zona
from apps.ordenamiento.zonas.importacion import Mapeo, PedidoZonas
from tests.capas.conftest import trabajador  # noqa: F401 (el trabajador real de la cola)
from tests.conftest import DATOS_REALES
from tests.factories import CENTRO, cuadrado

CHILE = DATOS_REALES / "ine2017_comunas_chile_simplificado.geojson"
ZONAS_LAS_CONDES = DATOS_REALES / "minvu_prc_las_condes_zonas.geojson"
NORMATIVA_LAS_CONDES = DATOS_REALES / "prc_las_condes_normativa.xlsx"
MAPEO_LAS_CONDES = Mapeo(
    codigo="cod",
    nombre="nombre",
    densidad="densidad_bruta_maxima",
    altura="altura_maxima_mts",
    constructibilidad="constructibilidad",
    ocupacion="ocupacion_1er_piso",
    superficie_predial="subdivision_predial_minima",
    antejardin="antejardin",
    uso_permitido="uso_permitido",
    uso_prohibido="uso_prohibido",
)


@pytest.fixture(scope="session")
def _limite_las_condes():
    """Lee una vez el límite simplificado del INE 2017 de Las Condes (13114)."""
    return limite_desde_archivo(CHILE, "13114")


@pytest.fixture
def las_condes(db, settings, _limite_las_condes):
    """Configura Las Condes (límite INE simplificado, tolerancia 1 km) como la comuna del sistema."""
    settings.TERRITORIO_COMUNA_CUT = "13114"
    datos = dataclasses.replace(_limite_las_condes, limite=_limite_las_condes.limite.clone())
    return comuna_cargar(datos=datos, tolerancia_m=1000)[0]


def pedido_las_condes(comuna, **extra) -> PedidoZonas:
    """Devuelve el pedido que importa el PRC real de Las Condes con su tabla de normas."""
    datos = {
        "ruta": str(ZONAS_LAS_CONDES),
        "comuna_id": comuna.pk,
        "instrumento": "prc",
        "nombre_instrumento": "PRC Las Condes",
        "mapeo": MAPEO_LAS_CONDES,
        "tabla": str(NORMATIVA_LAS_CONDES),
        "unir_por_codigo": True,
    }
    return PedidoZonas(**{**datos, **extra})


def geojson_zonas(ruta, rasgos: list[tuple[dict, list]]) -> str:
    """Escribe un GeoJSON (EPSG:4326) con polígonos [(propiedades, anillo)] y devuelve su ruta."""
    features = [
        {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [anillo]}}
        for props, anillo in rasgos
    ]
    ruta.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return str(ruta)


def anillo(lon: float, lat: float, lado: float) -> list:
    """Devuelve el anillo de un cuadrado de ``lado`` grados con esquina en (lon, lat)."""
    return [[lon, lat], [lon + lado, lat], [lon + lado, lat + lado], [lon, lat + lado], [lon, lat]]


@pytest.fixture
def zona(comuna):
    """Devuelve una zona ZU-1 del PRC de Teodoro Schmidt en el pueblo (cuadrado de 0,002°)."""
    return Zona.objects.create(
        comuna=comuna,
        instrumento="prc",
        nombre_instrumento="PRC Teodoro Schmidt 2015",
        codigo="ZU-1",
        nombre="Zona urbana central",
        densidad_max_hab_ha=120,
        ocupacion_suelo=0.6,
        geom=cuadrado(CENTRO[0], CENTRO[1], 0.002),
    )
