"""Ayudas de las pruebas del ordenamiento: Las Condes con su PRC real, zonas sintéticas y el flujo.

Flujo: Director, propuesta de área conocida y pasos del flujo.
"""

import dataclasses
import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.utils import timezone

from apps.comunas.fuentes import limite_desde_archivo
from apps.comunas.services import comuna_cargar
from apps.nucleo.roles import DIRECTOR, usuario_asignar_rol
from apps.ordenamiento import flujo
from apps.ordenamiento.models import Zona
from apps.ordenamiento.services import propuesta_crear
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


# Esquina de los cuadrados de prueba: el centro de Teodoro Schmidt redondeado al metro en UTM 18S.
SRID_UTM = 5362


def esquina_utm() -> tuple[float, float]:
    """Devuelve (x, y) en EPSG:5362 del centro del pueblo, redondeado al metro."""
    punto = Point(*CENTRO, srid=4326).transform(SRID_UTM, clone=True)
    return round(punto.x), round(punto.y)


def rectangulo_utm(dx: float, dy: float, ancho: float, alto: float) -> MultiPolygon:
    """Devuelve un rectángulo de ``ancho`` × ``alto`` m corrido (dx, dy) m de la esquina, en EPSG:4326.

    Sus vértices vuelven exactos a UTM: su área en el SRID métrico es ancho × alto (calculada a mano).
    """
    x0, y0 = esquina_utm()
    x0, y0 = x0 + dx, y0 + dy
    anillo = ((x0, y0), (x0 + ancho, y0), (x0 + ancho, y0 + alto), (x0, y0 + alto), (x0, y0))
    return MultiPolygon(Polygon(anillo), srid=SRID_UTM).transform(4326, clone=True)


@pytest.fixture
def director(roles, django_user_model):
    """Devuelve un usuario con rol Director (SECPLAC)."""
    usuario = django_user_model.objects.create_user(
        username="directora", password="clave-de-prueba-1", first_name="Ana", last_name="Directora"
    )
    usuario_asignar_rol(usuario=usuario, rol=DIRECTOR)
    return usuario


@pytest.fixture
def propuesta(comuna, planificador):
    """Devuelve una propuesta en borrador de 100 m × 100 m (10.000 m² en UTM 18S)."""
    return propuesta_crear(
        datos={
            "nombre": "Equipamiento deportivo Hualpín",
            "uso_propuesto": "equipamiento",
            "justificacion": "Falta de recintos deportivos en el sector norte.",
            "geom": rectangulo_utm(0, 0, 100, 100),
        },
        actor=planificador,
    )


def enviar(propuesta, actor):
    """Envía la propuesta a revisión con su versión actual."""
    return flujo.propuesta_enviar_a_revision(propuesta=propuesta, version=propuesta.version, actor=actor)


def presentar(propuesta, actor):
    """Presenta la propuesta al Concejo con su versión actual."""
    return flujo.propuesta_presentar(propuesta=propuesta, version=propuesta.version, actor=actor)


def decidir(propuesta, actor, decision="aprobada", fecha_sesion=None, numero_acuerdo="45/2026"):
    """Registra la decisión del Concejo (hoy, si no se da la fecha de sesión)."""
    return flujo.propuesta_decidir(
        propuesta=propuesta,
        decision=decision,
        fecha_sesion=fecha_sesion or timezone.localdate(),
        numero_acuerdo=numero_acuerdo,
        version=propuesta.version,
        actor=actor,
    )


@pytest.fixture
def presentada(propuesta, planificador, director):
    """Devuelve la propuesta enviada a revisión y presentada al Concejo."""
    return presentar(enviar(propuesta, planificador), director)
