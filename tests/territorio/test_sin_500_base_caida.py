"""Base de datos inalcanzable: gunicorn real responde 503 en español con Retry-After y se recupera.

El servidor se conecta a PostgreSQL por un enlace simbólico al directorio del socket: al borrar el
enlace la base queda inalcanzable (como un clúster detenido), y al recrearlo vuelve, sin tocar el
clúster que usa el resto de la suite.
"""

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import requests
from django.db import connection

from apps.nucleo.errores import error_500, respuesta_no_disponible
from tests.conftest import (
    _entorno_servidor,
    conectar_bd,
    gunicorn_levantado,
    ingresar,
    url_base_de_datos,
    usuario_de_servidor,
)

PAGINAS = ["/", "/capas/importar/", "/capas/exportar/", "/admin/", "/admin/proyectos/proyecto/"]
DATOS = ["/capas/", "/capas/humedales.geojson", "/ogcapi/collections", "/ogcapi/collections/x/items"]
DATOS += ["/tiles/proyectos/12/1197/2522.pbf", "/tiles/proyectos.json", "/comunas/limite.geojson"]
DATOS += ["/capas/referencia/mapa-chico.json"]
MENSAJE = "La base de datos no está disponible en este momento"


@pytest.fixture
def enlace_a_la_base():
    """Devuelve un enlace simbólico al directorio del socket de PostgreSQL (corto: límite de 107 B)."""
    directorio = Path(tempfile.mkdtemp(prefix="pg-"))
    enlace = directorio / "s"
    enlace.symlink_to(connection.settings_dict["HOST"])
    yield enlace
    shutil.rmtree(directorio, ignore_errors=True)


@pytest.fixture
def servidor_conmutable(transactional_db, estaticos, tmp_path, enlace_a_la_base):
    """Levanta gunicorn (rol de la aplicación) contra la base por el enlace, sin conexiones persistentes."""
    entorno = {
        **_entorno_servidor(estaticos),
        "DATABASE_URL": url_base_de_datos({"HOST": str(enlace_a_la_base)}),
        "CONN_MAX_AGE": "0",
    }
    with gunicorn_levantado(entorno, tmp_path / "gunicorn.log", workers=1) as url:
        yield url


def _es_503_en_espanol(respuesta, *, json_esperado: bool) -> None:
    assert respuesta.status_code == 503, (respuesta.url, respuesta.status_code)
    assert respuesta.headers["Retry-After"] == "30", respuesta.url
    if json_esperado:
        assert respuesta.headers["Content-Type"].startswith("application/json"), respuesta.url
        cuerpo = respuesta.json()
        assert cuerpo["codigo"] == "base_no_disponible" and MENSAJE in cuerpo["descripcion"]
    else:
        assert respuesta.headers["Content-Type"].startswith("text/html"), respuesta.url
        html = respuesta.text
        assert '<html lang="es-CL">' in html and "/static/css/territorio." in html, respuesta.url
        assert "<h1>Servicio no disponible por un momento</h1>" in html and MENSAJE in html
        # La página no consulta la base: sin menú de usuario ni enlaces que dependan de permisos.
        assert "Salir</button>" not in html


def test_con_la_base_caida_todo_responde_503_en_espanol_y_se_recupera(servidor_conmutable, enlace_a_la_base):
    url = servidor_conmutable
    usuario_de_servidor("ana", "clave-de-prueba-9")
    sesion = requests.Session()
    assert ingresar(sesion, url, "ana", "clave-de-prueba-9").status_code == 200
    assert sesion.get(f"{url}/", timeout=10).status_code == 200
    anonima = requests.Session()
    pagina_ingreso = anonima.get(f"{url}/ingresar/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina_ingreso.text).group(1)

    enlace_a_la_base.unlink()
    for ruta in PAGINAS:
        _es_503_en_espanol(sesion.get(f"{url}{ruta}", timeout=10), json_esperado=False)
    for ruta in DATOS:
        _es_503_en_espanol(sesion.get(f"{url}{ruta}", timeout=10), json_esperado=True)
    # La API responde con su propia forma de error, también cuando la falla es antes de la vista.
    for ruta in ("/api/proyectos/", "/api/concesiones/1/"):
        api = sesion.get(f"{url}{ruta}", timeout=10, headers={"Accept": "text/html"})
        assert api.status_code == 503 and api.headers["Retry-After"] == "30", ruta
        assert api.headers["Content-Type"].startswith("application/json"), ruta
        assert MENSAJE in api.json()["detalle"] and api.json()["errores"] == {}, ruta
    # Un ingreso necesita la base (usuario y django-axes): 503, no 500.
    ingreso = anonima.post(
        f"{url}/ingresar/",
        data={"username": "ana", "password": "clave-de-prueba-9", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{url}/ingresar/"},
        timeout=10,
    )
    _es_503_en_espanol(ingreso, json_esperado=False)
    salud = requests.get(f"{url}/salud/", timeout=10)
    assert salud.status_code == 503 and salud.headers["Retry-After"] == "30"
    assert salud.json()["base_de_datos"] == "no disponible"

    enlace_a_la_base.symlink_to(connection.settings_dict["HOST"])
    assert requests.get(f"{url}/salud/", timeout=10).json()["base_de_datos"] == "disponible"
    assert sesion.get(f"{url}/", timeout=10).status_code == 200
    assert sesion.get(f"{url}/capas/", timeout=10).status_code == 200


def test_conexiones_cortadas_por_la_base_se_reabren_sin_error(servidor):
    usuario_de_servidor("beto", "clave-de-prueba-9")
    sesion = requests.Session()
    assert ingresar(sesion, servidor, "beto", "clave-de-prueba-9").status_code == 200
    for _ in range(4):
        assert sesion.get(f"{servidor}/capas/", timeout=10).status_code == 200
    # Como un reinicio de PostgreSQL: se cortan las conexiones persistentes de los trabajadores.
    # Desde el mismo rol de la aplicación: el dueño, sin superusuario, no puede cortar sesiones ajenas.
    with conectar_bd() as app:
        cortadas = app.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert cortadas >= 1
    for _ in range(4):
        assert sesion.get(f"{servidor}/capas/", timeout=10).status_code == 200
    assert requests.get(f"{servidor}/salud/", timeout=10).status_code == 200


def test_error_no_previsto_responde_500_en_espanol_con_el_aspecto_del_sitio(rf):
    try:
        raise RuntimeError("falla de prueba")
    except RuntimeError:
        pagina = error_500(rf.get("/proyectos/"))
        datos = error_500(rf.get("/ogcapi/collections"))
        api = error_500(rf.get("/api/proyectos/", HTTP_ACCEPT="text/html"))
        documentacion = error_500(rf.get("/api/docs/"))
    html = pagina.content.decode()
    assert pagina.status_code == 500 and "<h1>Algo salió mal</h1>" in html and "css/territorio.css" in html
    assert "falla de prueba" not in html
    assert datos.status_code == 500 and datos["Content-Type"] == "application/json"
    assert "error interno" in datos.content.decode()
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    cuerpo = json.loads(api.content)
    assert "error interno" in cuerpo["detalle"] and cuerpo["errores"] == {}
    assert documentacion["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("ruta", "accept", "es_json"),
    [
        ("/ogcapi/collections", "*/*", True),
        ("/ogcapi/collections", "text/html,application/xhtml+xml", False),
        ("/ogcapi/collections?f=json", "text/html", True),
        ("/ogcapi/collections?f=html", "*/*", False),
        ("/tiles/proyectos/1/0/0.pbf", "text/html", True),
        ("/capas/humedales.geojson", "text/html", True),
        ("/capas/importar/", "text/html", False),
        ("/", "application/json", True),
    ],
)
def test_el_503_va_en_json_en_las_rutas_de_datos_y_en_html_en_las_paginas(rf, ruta, accept, es_json):
    respuesta = respuesta_no_disponible(rf.get(ruta, HTTP_ACCEPT=accept))
    assert respuesta.status_code == 503 and respuesta["Retry-After"] == "30"
    assert respuesta["Content-Type"].startswith("application/json" if es_json else "text/html")
