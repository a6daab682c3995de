"""Fixtures comunes: la comuna real de Teodoro Schmidt (INE 2017) y usuarios por rol."""

import base64
import contextlib
import dataclasses
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection

from apps.comunas.fuentes import limite_desde_archivo
from apps.comunas.services import comuna_cargar
from apps.nucleo.roles import CONSULTA, PLANIFICADOR, roles_sincronizar, usuario_asignar_rol
from capas.servicio.usuarios import recordados

RAIZ = Path(__file__).resolve().parent.parent
DATOS_REALES = Path(os.environ.get("TERRITORIO_DATOS_REALES", RAIZ.parent / "shared" / "data" / "real"))
COMUNAS_R09 = DATOS_REALES / "ine2017_comunas_r09_araucania.geojson"


def pytest_configure(config):
    """Falla temprano y en español si faltan los datos reales de ../shared."""
    if not COMUNAS_R09.is_file():
        raise pytest.UsageError(
            f"No se encuentran los datos reales en {DATOS_REALES} (defina TERRITORIO_DATOS_REALES)."
        )


@pytest.fixture(autouse=True)
def _usuarios_olvidados():
    """Cada prueba empieza sin usuarios recordados por las lecturas de capas."""
    recordados.olvidar()


@pytest.fixture(scope="session")
def _limite_teodoro_schmidt():
    """Lee una vez por sesión el límite real del INE 2017 (EPSG:4674 → 4326) de Teodoro Schmidt."""
    return limite_desde_archivo(COMUNAS_R09, "09117")


@pytest.fixture
def comuna(db, _limite_teodoro_schmidt):
    """Devuelve Teodoro Schmidt con su límite real del INE 2017, tolerancia 1 km."""
    # Copia de la geometría: comuna_cargar guarda el objeto que recibe y una prueba podría cambiarlo.
    datos = dataclasses.replace(_limite_teodoro_schmidt, limite=_limite_teodoro_schmidt.limite.clone())
    return comuna_cargar(datos=datos, tolerancia_m=1000)[0]


@pytest.fixture
def roles(db):
    """Crea los grupos de roles con sus permisos."""
    roles_sincronizar()


def _usuario(django_user_model, nombre, rol):
    usuario = django_user_model.objects.create_user(username=nombre, password="clave-de-prueba-1")
    usuario_asignar_rol(usuario=usuario, rol=rol)
    return usuario


@pytest.fixture
def planificador(roles, django_user_model):
    """Devuelve un usuario con rol Planificador."""
    return _usuario(django_user_model, "planificadora", PLANIFICADOR)


@pytest.fixture
def consulta(roles, django_user_model):
    """Devuelve un usuario con rol Consulta (solo lectura)."""
    return _usuario(django_user_model, "concejal", CONSULTA)


def basic(usuario: str, clave: str) -> str:
    """Devuelve la cabecera ``Authorization: Basic`` de usuario y clave."""
    return "Basic " + base64.b64encode(f"{usuario}:{clave}".encode()).decode()


def usuario_de_servidor(nombre, clave, rol=PLANIFICADOR):
    """Crea un usuario con rol cuya clave sirve al servidor real (hasher de producción)."""
    roles_sincronizar()
    usuario = get_user_model().objects.create(
        username=nombre, password=make_password(clave, hasher="pbkdf2_sha256")
    )
    usuario_asignar_rol(usuario=usuario, rol=rol)
    return usuario


def url_base_de_datos(credenciales: dict | None = None) -> str:
    """Devuelve la URL de la base de pruebas con ``credenciales`` (por defecto, el rol de la aplicación).

    La suite crea su base como el dueño; los procesos que sirven (gunicorn, manage.py) se conectan como
    el rol de la aplicación, como en producción, para probar que les bastan sus privilegios.
    """
    d = {**connection.settings_dict, "USER": settings.TERRITORIO_BD_ROL_APP, "PASSWORD": ""}
    d.update(credenciales or {})
    usuario = quote(d["USER"], safe="") + (":" + quote(d["PASSWORD"], safe="") if d["PASSWORD"] else "")
    return f"postgis://{usuario}@{quote(d['HOST'], safe='')}:{d['PORT']}/{d['NAME']}"


def conectar_bd(credenciales: dict | None = None) -> psycopg.Connection:
    """Abre una conexión psycopg (autocommit) a la base de pruebas, como el rol de la aplicación o otro."""
    d = {**connection.settings_dict, "USER": settings.TERRITORIO_BD_ROL_APP, "PASSWORD": ""}
    d.update(credenciales or {})
    return psycopg.connect(
        host=d["HOST"],
        port=d["PORT"] or None,
        dbname=d["NAME"],
        user=d["USER"],
        password=d["PASSWORD"] or None,
        autocommit=True,
    )


def _entorno_base_de_datos(extra: dict | None = None) -> dict:
    """Devuelve el entorno de un proceso hijo: el rol de la aplicación y ninguna URL con más permisos."""
    entorno = {k: v for k, v in os.environ.items() if not k.startswith("TERRITORIO_DATABASE_URL_")}
    return {**entorno, "DATABASE_URL": url_base_de_datos(), **(extra or {})}


def credenciales_duenio(base: str | None = None) -> dict:
    """Devuelve las credenciales del dueño (el rol con que la suite crea su base), en ``base`` si se da."""
    d = connection.settings_dict
    return {"USER": d["USER"], "PASSWORD": d["PASSWORD"] or "", **({"NAME": base} if base else {})}


def manage_en_proceso(
    *argumentos,
    timeout: float = 120,
    duenio: bool = False,
    base: str | None = None,
    entorno: dict | None = None,
) -> subprocess.CompletedProcess:
    """Corre ``manage.py`` en un proceso aparte contra la base de pruebas, como el rol de la aplicación.

    ``duenio`` conecta como el dueño (respaldo y restauración); ``base`` cambia solo el nombre de la
    base; ``entorno`` agrega variables (p. ej. las URL de migración o de administración).
    """
    credenciales = credenciales_duenio(base) if duenio else ({"NAME": base} if base else {})
    entorno = {
        **_entorno_base_de_datos({"DATABASE_URL": url_base_de_datos(credenciales), **(entorno or {})}),
        "DJANGO_SETTINGS_MODULE": "territorio.settings.test",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, argumentos)],
        cwd=RAIZ,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def ingresar(sesion, url: str, usuario: str, clave: str):
    """Ingresa por la página de ingreso del servidor real con una sesión de requests (con CSRF)."""
    pagina = sesion.get(f"{url}/ingresar/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina.text).group(1)
    return sesion.post(
        f"{url}/ingresar/",
        data={"username": usuario, "password": clave, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{url}/ingresar/"},
        timeout=10,
    )


def _puerto_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _entorno_servidor(estaticos):
    """Devuelve el entorno de producción (DEBUG apagado) apuntando a la base de pruebas."""
    return {
        **_entorno_base_de_datos(),
        "DJANGO_SETTINGS_MODULE": "territorio.settings.base",
        "SECRET_KEY": "clave-de-humo-" + "z" * 50,
        "STATIC_ROOT": str(estaticos),
        "DEBUG": "false",
    }


@pytest.fixture(scope="session")
def estaticos(tmp_path_factory, django_db_setup):
    """Reúne los estáticos una vez por sesión, como en producción (manifiesto de whitenoise)."""
    destino = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=RAIZ,
        env=_entorno_servidor(destino),
        check=True,
    )
    return destino


def orden_gunicorn(puerto: int) -> list[str]:
    """Devuelve la orden con que las pruebas levantan gunicorn: la configuración de ``./run serve``
    (territorio/gunicorn_conf.py: gthread y keep-alive), sin socket de control compartido."""
    # Sin --no-control-socket, cada servidor de prueba (y cada ./run serve del mismo usuario) usaría
    # ~/.gunicorn/gunicorn.ctl: el último en arrancar le quita el socket a los demás.
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "territorio.wsgi:application",
        "-c",
        str(RAIZ / "territorio" / "gunicorn_conf.py"),
        "--bind",
        f"127.0.0.1:{puerto}",
        "--workers",
        "2",
        "--no-control-socket",
    ]


@contextlib.contextmanager
def gunicorn_levantado(entorno: dict, registro_ruta: Path, *, workers: int = 2):
    """Levanta gunicorn con ``entorno``, espera a que ``/salud/`` responda 200 y entrega su URL."""
    puerto = _puerto_libre()
    orden = orden_gunicorn(puerto)
    orden[orden.index("--workers") + 1] = str(workers)
    with registro_ruta.open("w") as registro:
        proceso = subprocess.Popen(orden, cwd=RAIZ, env=entorno, stdout=registro, stderr=subprocess.STDOUT)
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
                pytest.fail(f"gunicorn no respondió: {registro_ruta.read_text()}")
            yield url
        finally:
            proceso.terminate()
            proceso.wait(timeout=10)


@pytest.fixture
def servidor(transactional_db, estaticos, tmp_path):
    """Levanta gunicorn contra la base de pruebas (como el rol de la aplicación) y devuelve su URL."""
    with gunicorn_levantado(_entorno_servidor(estaticos), tmp_path / "gunicorn.log") as url:
        yield url
