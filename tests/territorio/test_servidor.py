"""Humo: gunicorn real con DEBUG apagado y whitenoise responde el ingreso, el admin y sus mapas."""

import os
import re
import socket
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
import requests
from django.contrib.auth.hashers import make_password
from django.db import connection

from apps.nucleo.roles import PLANIFICADOR, roles_sincronizar, usuario_asignar_rol
from tests.conftest import RAIZ

pytestmark = pytest.mark.servidor


def _url_base_de_datos():
    d = connection.settings_dict
    return f"postgis://{d['USER']}@{quote(d['HOST'], safe='')}:{d['PORT']}/{d['NAME']}"


def _puerto_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def servidor(transactional_db, tmp_path):
    """Levanta gunicorn contra la base de pruebas y devuelve su URL."""
    estaticos = tmp_path / "static"
    entorno = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "territorio.settings.base",
        "DATABASE_URL": _url_base_de_datos(),
        "SECRET_KEY": "clave-de-humo-" + "z" * 50,
        "STATIC_ROOT": str(estaticos),
        "DEBUG": "false",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=RAIZ,
        env=entorno,
        check=True,
    )
    puerto = _puerto_libre()
    proceso = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "territorio.wsgi:application",
            "--bind",
            f"127.0.0.1:{puerto}",
            "--workers",
            "2",
        ],
        cwd=RAIZ,
        env=entorno,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{puerto}"
    try:
        limite = time.monotonic() + 60
        while time.monotonic() < limite:
            try:
                if requests.get(f"{url}/salud/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            pytest.fail(f"gunicorn no respondió: {proceso.stderr.read1().decode()}")
        yield url
    finally:
        proceso.terminate()
        proceso.wait(timeout=10)


def _ingresar(sesion, url, usuario, clave):
    pagina = sesion.get(f"{url}/ingresar/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina.text).group(1)
    return sesion.post(
        f"{url}/ingresar/",
        data={"username": usuario, "password": clave, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{url}/ingresar/"},
    )


def test_servidor_real_atiende_ingreso_admin_y_estaticos_locales(servidor, django_user_model, comuna):
    roles_sincronizar()
    # El servidor usa los hashers de producción; las pruebas, MD5 por rapidez.
    usuaria = django_user_model.objects.create(
        username="ana", password=make_password("una-clave-larga-9", hasher="pbkdf2_sha256")
    )
    usuario_asignar_rol(usuario=usuaria, rol=PLANIFICADOR)
    sesion = requests.Session()

    assert sesion.get(f"{servidor}/salud/").json()["estado"] == "ok"
    ingreso = sesion.get(f"{servidor}/ingresar/")
    assert ingreso.status_code == 200
    assert "Ingresar a Territorio" in ingreso.text
    assert "DEBUG" not in ingreso.text

    assert _ingresar(sesion, servidor, "ana", "una-clave-larga-9").url == f"{servidor}/"
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


def test_pagina_inexistente_no_filtra_detalles(servidor):
    respuesta = requests.get(f"{servidor}/salud/no-existe/", allow_redirects=False)
    assert respuesta.status_code in (302, 404)
    assert "Traceback" not in respuesta.text
