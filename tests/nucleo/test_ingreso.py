"""Ingreso: tope de intentos fallidos (django-axes) en la página de ingreso y en el admin."""

import pytest
from axes.models import AccessAttempt


def _fallar(client, url, usuario, veces):
    for _ in range(veces):
        respuesta = client.post(url, {"username": usuario, "password": "no-es-la-clave"})
        assert respuesta.status_code == 200  # el formulario con el error, aún sin bloqueo
    return respuesta


@pytest.mark.parametrize("url", ["/ingresar/", "/admin/login/"])
def test_diez_fallos_bloquean_al_usuario_desde_esa_direccion(client, planificador, settings, url):
    _fallar(client, url, "planificadora", settings.AXES_FAILURE_LIMIT - 1)
    bloqueo = client.post(url, {"username": "planificadora", "password": "no-es-la-clave"})
    assert bloqueo.status_code == 429
    assert bloqueo["Retry-After"] == "900"
    assert "bloqueado durante\n    15 minutos" in bloqueo.content.decode()
    # Con la clave correcta tampoco, mientras dure el bloqueo.
    correcta = client.post(url, {"username": "planificadora", "password": "clave-de-prueba-1"})
    assert correcta.status_code == 429
    assert "_auth_user_id" not in client.session
    # El intento queda en la base (compartido por todos los procesos de gunicorn).
    intento = AccessAttempt.objects.get(username="planificadora")
    assert intento.failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_otro_usuario_de_la_misma_direccion_sigue_entrando(client, planificador, consulta, settings):
    _fallar(client, "/ingresar/", "planificadora", settings.AXES_FAILURE_LIMIT - 1)
    assert client.post("/ingresar/", {"username": "planificadora", "password": "x"}).status_code == 429
    respuesta = client.post("/ingresar/", {"username": "concejal", "password": "clave-de-prueba-1"})
    assert respuesta.status_code == 302
    assert client.session["_auth_user_id"] == str(consulta.pk)


def test_ingresar_bien_borra_los_fallos_previos(client, planificador, settings):
    _fallar(client, "/ingresar/", "planificadora", settings.AXES_FAILURE_LIMIT - 1)
    assert (
        client.post("/ingresar/", {"username": "planificadora", "password": "clave-de-prueba-1"}).status_code
        == 302
    )
    client.logout()
    # Los fallos se contaron desde cero: caben de nuevo nueve sin bloqueo.
    _fallar(client, "/ingresar/", "planificadora", settings.AXES_FAILURE_LIMIT - 1)
