"""Atajo de teselas: mismo resultado y mismos permisos que la pila completa, con menos trabajo."""

import mapbox_vector_tile
import pytest
import requests
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db import connection

from apps.nucleo.roles import CONSULTA
from capas.servicio.usuarios import recordados
from tests.conftest import basic, ingresar, usuario_de_servidor
from tests.factories import CENTRO, BienInmuebleFactory

from .test_servicio_teselas import _tesela

Z = 12


@pytest.fixture
def url(comuna):
    """Devuelve la URL de la tesela z12 del pueblo en la capa de inmuebles (no pública)."""
    BienInmuebleFactory(comuna=comuna)
    x, y = _tesela(*CENTRO, Z)
    return f"/tiles/inmuebles/{Z}/{x}/{y}.pbf"


def test_con_sesion_el_usuario_y_sus_permisos_no_se_recargan_en_cada_tesela(
    url, consulta, client, django_assert_num_queries
):
    client.force_login(consulta)
    assert client.get(url).status_code == 200
    # La segunda tesela: solo la sentencia de la tesela (ni usuario, ni permisos, ni sesión).
    with django_assert_num_queries(1) as consultas:
        respuesta = client.get(url)
    assert "ST_AsMVT" in consultas.captured_queries[0]["sql"]
    assert list(mapbox_vector_tile.decode(respuesta.content)) == ["inmuebles"]
    # Las cabeceras de seguridad del sitio siguen puestas.
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert respuesta["X-Frame-Options"] == "DENY"


def test_quitar_el_rol_corta_el_acceso_en_la_peticion_siguiente(url, consulta, client):
    client.force_login(consulta)
    assert client.get(url).status_code == 200
    consulta.groups.clear()
    assert client.get(url).status_code == 404


def test_cambiar_la_clave_cierra_la_sesion_de_las_teselas(url, consulta, client):
    client.force_login(consulta)
    assert client.get(url).status_code == 200
    consulta.set_password("otra-clave-distinta-9")
    consulta.save()
    assert client.get(url).status_code == 401


def test_desactivar_al_usuario_corta_el_acceso(url, consulta, client):
    client.force_login(consulta)
    assert client.get(url).status_code == 200
    consulta.is_active = False
    consulta.save()
    assert client.get(url).status_code == 401


def test_usuario_recordado_vence(url, consulta, client, monkeypatch):
    """Un cambio hecho en otro proceso (sin señal aquí) se nota al vencer lo recordado."""
    client.force_login(consulta)
    assert client.get(url).status_code == 200
    consulta.groups.through.objects.filter(user=consulta).delete()  # sin m2m_changed
    assert client.get(url).status_code == 200  # todavía recordado
    monkeypatch.setattr(recordados, "vigencia_s", 0.0)
    assert client.get(url).status_code == 404


def test_basic_por_el_atajo(url, consulta, client):
    cabecera = basic("concejal", "clave-de-prueba-1")
    assert client.get(url, HTTP_AUTHORIZATION=cabecera).status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=basic("concejal", "mala")).status_code == 401


def test_solo_get_y_lo_demas_de_tiles_sigue_la_pila(url, consulta, client):
    client.force_login(consulta)
    assert client.post(url).status_code == 405
    tilejson = client.get("/tiles/inmuebles.json")
    assert tilejson.status_code == 200
    assert tilejson.json()["tiles"][0].endswith("/tiles/inmuebles/{z}/{x}/{y}.pbf")
    assert client.get("/tiles/no-existe/1/2/x.pbf").status_code == 404


def test_la_sentencia_de_la_capa_se_prepara_en_la_conexion(url, consulta, client):
    client.force_login(consulta)
    x, y = _tesela(*CENTRO, Z)
    for dx in range(4):
        assert client.get(f"/tiles/inmuebles/{Z}/{x + dx}/{y}.pbf").status_code in (200, 204)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%%ST_AsMVT%%'")
        assert cursor.fetchone()[0] == 1


def test_head_da_las_cabeceras_de_get_sin_cuerpo(url, consulta, client):
    client.force_login(consulta)
    completa = client.get(url)
    cabeza = client.head(url)
    assert cabeza.status_code == 200
    assert cabeza.content == b""
    assert cabeza["ETag"] == completa["ETag"]
    assert cabeza["Content-Type"] == "application/vnd.mapbox-vector-tile"


def test_clave_cambiada_en_otro_proceso_se_nota_sin_esperar_la_vigencia(url, consulta, client):
    """Una sesión nueva (clave nueva) con el usuario recordado viejo: se relee y entra."""
    # Ingresar guarda last_login (y esa señal vaciaría lo recordado): aquí no, como en otro proceso.
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    try:
        client.force_login(consulta)
        assert client.get(url).status_code == 200
        # Otro proceso cambia la clave (update() no emite señales) y el usuario vuelve a ingresar.
        nueva = make_password("clave-nueva-del-concejal")
        type(consulta).objects.filter(pk=consulta.pk).update(password=nueva)
        consulta.refresh_from_db()
        client.force_login(consulta)
        assert client.get(url).status_code == 200
    finally:
        user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")


def test_la_tesela_no_escribe_en_la_sesion(url, consulta, client):
    client.force_login(consulta)
    clave_sesion = client.session.session_key
    type(consulta).objects.filter(pk=consulta.pk).update(password=make_password("otra-clave-mas"))
    recordados.olvidar()
    assert client.get(url).status_code == 401
    # La sesión sigue ahí (no se borró ni se renovó desde la tesela) pero ya no lleva a nadie.
    assert Session.objects.filter(session_key=clave_sesion).exists()
    assert client.get("/").status_code == 302


@pytest.mark.servidor
def test_gunicorn_sirve_teselas_con_basic_y_con_sesion(servidor, comuna):
    """Por HTTP real, en otro proceso: Basic y sesión de la página de ingreso, y 401 sin credenciales."""
    BienInmuebleFactory(comuna=comuna)
    usuario_de_servidor("lectora", "clave-de-la-lectora-7", rol=CONSULTA)
    x, y = _tesela(*CENTRO, Z)
    url = f"{servidor}/tiles/inmuebles/{Z}/{x}/{y}.pbf"
    assert requests.get(url, timeout=10).status_code == 401
    basic = requests.get(url, auth=("lectora", "clave-de-la-lectora-7"), timeout=10)
    assert basic.status_code == 200
    assert list(mapbox_vector_tile.decode(basic.content)) == ["inmuebles"]
    sesion = requests.Session()
    ingresar(sesion, servidor, "lectora", "clave-de-la-lectora-7")
    assert sesion.get(url, timeout=10).content == basic.content
