"""Acceso a las lecturas de capas: sesión, HTTP Basic con los usuarios del sitio y anónimo."""

import base64
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command

from capas.servicio.autenticacion import _huella
from tests.conftest import basic
from tests.factories import BienInmuebleFactory

URL = "/capas/inmuebles.geojson"


@pytest.fixture
def inmueble(comuna):
    """Devuelve un inmueble (capa no pública) en el pueblo."""
    return BienInmuebleFactory(comuna=comuna)


def _ids(respuesta) -> list[int]:
    return [f["id"] for f in json.loads(respuesta.content)["features"]]


def test_sesion_lee_capa_no_publica(inmueble, planificador, client):
    client.force_login(planificador)
    assert _ids(client.get(URL)) == [inmueble.pk]


def test_basic_lee_con_los_mismos_usuarios_y_recuerda_la_credencial(inmueble, planificador, client):
    cabecera = basic("planificadora", "clave-de-prueba-1")
    respuesta = client.get(URL, HTTP_AUTHORIZATION=cabecera)
    assert respuesta.status_code == 200
    assert _ids(respuesta) == [inmueble.pk]
    assert cache.get(_huella(cabecera)) == (
        planificador.pk,
        planificador.password,
        "django.contrib.auth.backends.ModelBackend",
    )
    # Basic no abre sesión: la siguiente petición sin cabecera vuelve a ser anónima.
    assert client.get(URL).status_code == 401


def test_cambiar_la_clave_invalida_la_credencial_recordada(inmueble, planificador, client):
    cabecera = basic("planificadora", "clave-de-prueba-1")
    assert client.get(URL, HTTP_AUTHORIZATION=cabecera).status_code == 200
    planificador.set_password("otra-clave-nueva-2")
    planificador.save()
    assert client.get(URL, HTTP_AUTHORIZATION=cabecera).status_code == 401
    nueva = client.get(URL, HTTP_AUTHORIZATION=basic("planificadora", "otra-clave-nueva-2"))
    assert nueva.status_code == 200


def test_usuario_desactivado_no_entra_aunque_su_credencial_este_recordada(inmueble, planificador, client):
    cabecera = basic("planificadora", "clave-de-prueba-1")
    assert client.get(URL, HTTP_AUTHORIZATION=cabecera).status_code == 200
    planificador.is_active = False
    planificador.save()
    assert client.get(URL, HTTP_AUTHORIZATION=cabecera).status_code == 401


@pytest.mark.parametrize(
    "cabecera",
    [
        "Basic no-es-base64!",
        "Basic " + base64.b64encode(b"sin-dos-puntos").decode(),
        "Bearer abc",
        basic("planificadora", "clave-equivocada"),
        basic("nadie", "clave-de-prueba-1"),
    ],
)
def test_credencial_invalida_responde_401_con_desafio(inmueble, planificador, client, cabecera):
    respuesta = client.get(URL, HTTP_AUTHORIZATION=cabecera)
    assert respuesta.status_code == 401
    assert respuesta["WWW-Authenticate"] == 'Basic realm="Territorio", charset="UTF-8"'
    assert respuesta.json()["description"] == "Usuario o clave incorrectos."


def test_capa_publica_no_pide_nada_y_las_respuestas_varian_por_credencial(comuna, client):
    respuesta = client.get("/capas/comunas.geojson")
    assert respuesta.status_code == 200
    assert {"Authorization", "Cookie"} <= {v.strip() for v in respuesta["Vary"].split(",")}


def test_demasiados_fallos_basic_bloquean_sin_verificar_la_clave(comuna, planificador, client, settings):
    mala = basic("planificadora", "clave-mala")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.get("/capas/inmuebles.geojson", HTTP_AUTHORIZATION=mala).status_code == 401
    bloqueada = client.get("/capas/inmuebles.geojson", HTTP_AUTHORIZATION=mala)
    assert bloqueada.status_code == 429
    assert bloqueada["Retry-After"] == "900"
    assert bloqueada.json() == {
        "code": "DemasiadosIntentos",
        "description": "Demasiados intentos fallidos: espere 15 minutos.",
    }
    # Ni la clave correcta pasa mientras dure el bloqueo de ese usuario desde esa dirección, tampoco en
    # las teselas (que no pasan por el middleware de django-axes) ni en la página de ingreso.
    buena = basic("planificadora", "clave-de-prueba-1")
    assert client.get("/capas/inmuebles.geojson", HTTP_AUTHORIZATION=buena).status_code == 429
    assert client.get("/tiles/inmuebles/12/1213/2529.pbf", HTTP_AUTHORIZATION=buena).status_code == 429
    ingreso = client.post("/ingresar/", {"username": "planificadora", "password": "clave-de-prueba-1"})
    assert ingreso.status_code == 429 and "Demasiados intentos fallidos" in ingreso.content.decode()
    # Desde otra dirección el mismo usuario entra: el bloqueo es por usuario y dirección.
    otra = client.get("/capas/inmuebles.geojson", HTTP_AUTHORIZATION=buena, REMOTE_ADDR="10.0.0.9")
    assert otra.status_code == 200
    call_command("axes_reset", verbosity=0)
    assert client.get("/capas/inmuebles.geojson", HTTP_AUTHORIZATION=buena).status_code == 200
