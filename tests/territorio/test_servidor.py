"""Humo: gunicorn real con DEBUG apagado y whitenoise responde el ingreso, el admin y sus mapas."""

import re

import pytest
import requests

from tests.conftest import ingresar, usuario_de_servidor

pytestmark = pytest.mark.servidor


def test_servidor_real_atiende_ingreso_admin_y_estaticos_locales(servidor, django_user_model, comuna):
    usuario_de_servidor("ana", "una-clave-larga-9")
    sesion = requests.Session()

    assert sesion.get(f"{servidor}/salud/").json()["estado"] == "ok"
    ingreso = sesion.get(f"{servidor}/ingresar/")
    assert ingreso.status_code == 200
    assert "Ingresar a Territorio" in ingreso.text
    assert "DEBUG" not in ingreso.text

    assert ingresar(sesion, servidor, "ana", "una-clave-larga-9").url == f"{servidor}/"
    admin = sesion.get(f"{servidor}/admin/")
    assert admin.status_code == 200
    assert "Territorio — administración" in admin.text

    formulario = sesion.get(f"{servidor}/admin/proyectos/proyecto/add/")
    assert formulario.status_code == 200
    recursos = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', formulario.text)
    assert any("leaflet" in r for r in recursos), recursos
    assert all(r.startswith("/static/") for r in recursos), recursos
    for recurso in recursos:
        respuesta = sesion.get(f"{servidor}{recurso}")
        assert respuesta.status_code == 200, recurso
        assert "max-age" in respuesta.headers.get("Cache-Control", ""), recurso


def test_pagina_inexistente_no_filtra_detalles(servidor, comuna):
    usuario_de_servidor("beto", "otra-clave-larga-7")
    sesion = requests.Session()
    ingresar(sesion, servidor, "beto", "otra-clave-larga-7")
    respuesta = sesion.get(f"{servidor}/no-existe/")
    assert respuesta.status_code == 404
    for detalle in ("URLconf", "Traceback", "DEBUG"):
        assert detalle not in respuesta.text


def test_salud_sin_sesion_en_el_servidor_real(servidor):
    respuesta = requests.get(f"{servidor}/salud/", allow_redirects=False)
    assert respuesta.status_code == 200
    assert respuesta.headers["Cache-Control"].startswith("max-age=0")
