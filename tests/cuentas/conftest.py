"""Fixtures de cuentas: un administrador con su rol, registros de terceros y el texto visible."""

import re
from html import unescape

import pytest
from axes.models import AccessFailureLog

from apps.nucleo.roles import ADMINISTRADOR, usuario_asignar_rol
from tests.factories import ProyectoFactory


@pytest.fixture
def administrador(roles, django_user_model):
    """Devuelve una cuenta con rol Administrador (no superusuario: el rol decide)."""
    usuario = django_user_model.objects.create_user(username="jefa", password="clave-de-prueba-1")
    usuario_asignar_rol(usuario=usuario, rol=ADMINISTRADOR)
    return usuario


def texto_visible(html: str) -> str:
    """Devuelve el texto que ve una persona: sin scripts, estilos ni etiquetas (con title y alt)."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    atributos = " ".join(re.findall(r'(?:title|alt|aria-label|placeholder)="([^"]*)"', html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + atributos)


@pytest.fixture
def registros_de_terceros(comuna, planificador, client):
    """Crea un proyecto con historial y un fallo de ingreso, un bloqueo y un ingreso registrados."""
    for _ in range(2):
        client.post("/ingresar/", {"username": "planificadora", "password": "mala"})
    client.post("/ingresar/", {"username": "planificadora", "password": "clave-de-prueba-1"})
    client.logout()
    client.post("/ingresar/", {"username": "planificadora", "password": "mala"})
    # El registro de fallos está apagado por omisión (AXES_ENABLE_ACCESS_FAILURE_LOG): uno a mano.
    AccessFailureLog.objects.create(
        username="planificadora",
        ip_address="127.0.0.1",
        user_agent="Firefox",
        path_info="/ingresar/",
        http_accept="text/html",
        locked_out=True,
    )
    return ProyectoFactory(comuna=comuna, nombre="Sede vecinal")
