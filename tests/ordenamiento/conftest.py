"""Fixtures del flujo de propuestas: Director, propuesta de área conocida y pasos del flujo."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.utils import timezone

from apps.nucleo.roles import DIRECTOR, usuario_asignar_rol
from apps.ordenamiento import flujo
from apps.ordenamiento.services import propuesta_crear
from tests.factories import CENTRO

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
