"""Acceso a la API: el rol decide (Consulta solo lee), Basic como la OGC API y sesión con CSRF."""

import pytest
from django.test import Client

from apps.proyectos.models import Proyecto
from tests.api.conftest import ClienteAPI
from tests.conftest import basic

pytestmark = pytest.mark.django_db

RECURSOS = ["proyectos", "inmuebles", "activos", "concesiones", "propuestas"]


@pytest.mark.parametrize("recurso", RECURSOS)
def test_consulta_lee_pero_no_escribe(api_consulta, registros, recurso):
    assert api_consulta.leer(f"/api/{recurso}/").status_code == 200
    respuesta = api_consulta.enviar("post", f"/api/{recurso}/", {"nombre": "x"})
    assert respuesta.status_code == 403
    assert respuesta.json() == {"detalle": "Usted no tiene permiso para realizar esta acción.", "errores": {}}


def test_consulta_recibe_403_en_cada_escritura_y_nada_cambia(api_consulta, registros):
    proyecto = registros["proyectos"][0]
    url = f"/api/proyectos/{proyecto.pk}/"
    assert api_consulta.leer(url).json()["nombre"] == "Proyecto 0"
    for metodo in ("put", "patch"):
        assert api_consulta.enviar(metodo, url, {"nombre": "Cambiado", "version": 1}).status_code == 403
    borrar = api_consulta.delete(f"{url}?version=1", headers={"Authorization": api_consulta.autorizacion})
    assert borrar.status_code == 403
    proyecto.refresh_from_db()
    assert proyecto.nombre == "Proyecto 0" and proyecto.version == 1


def test_sin_credenciales_es_401_con_desafio_basic(comuna):
    respuesta = Client().get("/api/proyectos/")
    assert respuesta.status_code == 401
    assert respuesta["WWW-Authenticate"].startswith("Basic")
    assert respuesta.json()["detalle"] == "Las credenciales de autenticación no se proveyeron."


def test_clave_equivocada_es_401_y_cuenta_en_axes(planificador):
    from axes.models import AccessAttempt

    cliente = ClienteAPI(basic(planificador.username, "equivocada"))
    respuesta = cliente.leer("/api/proyectos/")
    assert respuesta.status_code == 401
    assert respuesta.json()["detalle"] == "Usuario o clave incorrectos."
    assert AccessAttempt.objects.get(username=planificador.username).failures_since_start == 1


def test_intentos_agotados_es_429(planificador, settings):
    settings.AXES_FAILURE_LIMIT = 2
    cliente = ClienteAPI(basic(planificador.username, "equivocada"))
    cliente.leer("/api/proyectos/")
    cliente.leer("/api/proyectos/")
    bloqueado = ClienteAPI(basic(planificador.username, "clave-de-prueba-1")).leer("/api/proyectos/")
    assert bloqueado.status_code == 429
    assert "Demasiados intentos fallidos" in bloqueado.json()["detalle"]


def test_sesion_exige_csrf_en_escrituras(planificador, comuna, centro):
    cliente = Client(enforce_csrf_checks=True)
    cliente.force_login(planificador)
    assert cliente.get("/api/proyectos/").status_code == 200
    datos = {
        "nombre": "Por sesión",
        "tipologia": "proyecto",
        "etapa": "idea",
        "institucion": "municipal",
    }
    sin_token = cliente.post("/api/proyectos/", datos, content_type="application/json")
    assert sin_token.status_code == 403
    assert "CSRF" in sin_token.json()["detalle"]
    cliente.get("/ingresar/")  # deja la cookie csrftoken
    token = cliente.cookies["csrftoken"].value
    con_token = cliente.post(
        "/api/proyectos/", datos, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert con_token.status_code == 201, con_token.content
    assert Proyecto.objects.filter(nombre="Por sesión").exists()


def test_usuario_sin_rol_no_lee(django_user_model, comuna):
    django_user_model.objects.create_user(username="sinrol", password="clave-de-prueba-1")
    respuesta = ClienteAPI(basic("sinrol", "clave-de-prueba-1")).leer("/api/proyectos/")
    assert respuesta.status_code == 403


def test_options_describe_el_recurso_en_espanol(api_planificador, comuna):
    respuesta = api_planificador.options(
        "/api/concesiones/", headers={"Authorization": api_planificador.autorizacion}
    )
    assert respuesta.status_code == 200
    datos = respuesta.json()
    assert datos["name"] == "Concesiones"
    assert datos["actions"]["POST"]["titular_rut"]["label"] == "RUT del titular"
