"""Acceso de QGIS: un rol de solo lectura sobre vistas con etiquetas, sin demo salvo que se pida."""

import re

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from apps.proyectos.models import FuenteFinanciamiento
from tests.conftest import conectar_bd, manage_en_proceso, url_base_de_datos
from tests.factories import ProyectoFactory
from tests.qgis import ejecutar_pyqgis

PROHIBIDO = psycopg.errors.InsufficientPrivilege


def _credenciales_dueno():
    d = connection.settings_dict
    return {"USER": d["USER"], "PASSWORD": d["PASSWORD"] or ""}


@pytest.fixture
def admin_bd():
    """Devuelve las credenciales de administración (CREATEROLE) que ./run test exporta."""
    if not settings.TERRITORIO_BD_ADMIN:
        pytest.skip("Falta TERRITORIO_DATABASE_URL_ADMIN (./run test la define para el clúster local).")
    return settings.TERRITORIO_BD_ADMIN


@pytest.fixture
def qgis_acceso(transactional_db, comuna, admin_bd):
    """Devuelve una función que corre qgis_acceso_crear con un rol propio de esta base de pruebas."""
    rol = re.sub(r"[^a-z0-9_]", "_", f"qgis_{connection.settings_dict['NAME']}".lower())
    entorno = {
        "TERRITORIO_DATABASE_URL_MIGRACION": url_base_de_datos(_credenciales_dueno()),
        "TERRITORIO_DATABASE_URL_ADMIN": url_base_de_datos(admin_bd),
    }

    def correr(*argumentos):
        resultado = manage_en_proceso("qgis_acceso_crear", "--usuario", rol, *argumentos, entorno=entorno)
        assert resultado.returncode == 0, resultado.stderr
        return rol, resultado.stdout

    yield correr
    with conectar_bd(admin_bd) as conexion:
        conexion.execute(f'DROP OWNED BY "{rol}"')
        conexion.execute(f'DROP ROLE IF EXISTS "{rol}"')


@pytest.fixture
def proyectos(comuna):
    """Crea un proyecto real (FNDR, en ejecución) y uno de demostración, ambos puntos."""
    fndr, _ = FuenteFinanciamiento.objects.get_or_create(
        codigo="fndr", defaults={"nombre": "Fondo Nacional de Desarrollo Regional", "tipo": "regional"}
    )
    ProyectoFactory(comuna=comuna, nombre="Posta rural", etapa="ejecucion", fuente=fndr)
    ProyectoFactory(comuna=comuna, nombre="[DEMO] Plaza", etapa="idea", es_demo=True)


def _clave_cifrada(admin, rol):
    with conectar_bd(admin) as conexion:
        return conexion.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", [rol]).fetchone()[0]


def test_el_lector_ve_etiquetas_y_no_ve_la_demo(qgis_acceso, proyectos):
    rol, salida = qgis_acceso()
    assert "clave: " in salida and f"user={rol}" in salida and "[territorio]" in salida
    with conectar_bd({"USER": rol}) as conexion:
        filas = conexion.execute(
            "SELECT nombre, etapa, tipologia, fuente, comuna FROM qgis.proyectos_puntos ORDER BY nombre"
        ).fetchall()
        columnas = conexion.execute(
            "SELECT f_table_name, type, srid FROM geometry_columns WHERE f_table_schema = 'qgis' "
            "AND f_table_name = 'proyectos_puntos'"
        ).fetchall()
    assert filas == [
        (
            "Posta rural",
            "Ejecución",
            "Proyecto (31.02)",
            "Fondo Nacional de Desarrollo Regional",
            "Teodoro Schmidt",
        )
    ]
    assert columnas == [("proyectos_puntos", "MULTIPOINT", 4326)]


def test_con_demo_se_ven_las_filas_de_demostracion(qgis_acceso, proyectos):
    rol, salida = qgis_acceso("--con-demo")
    assert "con datos de demostración" in salida
    with conectar_bd({"USER": rol}) as conexion:
        nombres = conexion.execute(
            "SELECT nombre, es_demo FROM qgis.proyectos_puntos ORDER BY nombre"
        ).fetchall()
    assert nombres == [("Posta rural", False), ("[DEMO] Plaza", True)]


def test_el_lector_no_escribe_ni_lee_las_tablas_de_la_aplicacion(qgis_acceso, proyectos):
    rol, _ = qgis_acceso()
    with conectar_bd({"USER": rol}) as conexion:
        assert conexion.execute("SHOW default_transaction_read_only").fetchone()[0] == "on"
        # Aunque el lector pida transacciones de escritura, le faltan los permisos.
        conexion.execute("SET default_transaction_read_only = off")
        for sentencia in (
            "INSERT INTO qgis.proyectos_puntos (id, nombre) VALUES (999, 'intruso')",
            "UPDATE qgis.proyectos_puntos SET nombre = 'intruso'",
            "DELETE FROM qgis.proyectos_puntos",
            "SELECT count(*) FROM public.auth_user",
            "SELECT count(*) FROM public.django_session",
            f'SELECT count(*) FROM public."{FuenteFinanciamiento.pgh_event_model._meta.db_table}"',
            "UPDATE public.proyectos_proyecto SET nombre = 'intruso'",
            "CREATE TABLE qgis.intrusa (id int)",
        ):
            with pytest.raises(PROHIBIDO):
                conexion.execute(sentencia)


def test_volver_a_correr_conserva_la_clave_salvo_que_se_rote(qgis_acceso, proyectos, admin_bd):
    rol, primera = qgis_acceso()
    clave = _clave_cifrada(admin_bd, rol)
    assert clave.startswith("SCRAM-SHA-256$")
    _, segunda = qgis_acceso()
    assert "clave: sin cambios" in segunda and _clave_cifrada(admin_bd, rol) == clave
    _, tercera = qgis_acceso("--rotar-clave")
    nueva = re.search(r"password=(\S+)", tercera).group(1)
    assert nueva not in primera and _clave_cifrada(admin_bd, rol) != clave


def test_migrar_rehace_las_vistas_de_qgis(qgis_acceso, proyectos):
    rol, _ = qgis_acceso()
    migrado = manage_en_proceso(
        "migrate", entorno={"TERRITORIO_DATABASE_URL_MIGRACION": url_base_de_datos(_credenciales_dueno())}
    )
    assert migrado.returncode == 0, migrado.stderr
    with conectar_bd({"USER": rol}) as conexion:
        assert conexion.execute("SELECT count(*) FROM qgis.proyectos_puntos").fetchone()[0] == 1


def test_sin_createrole_la_orden_explica_que_falta(transactional_db):
    resultado = manage_en_proceso("qgis_acceso_crear", "--usuario", "qgis_sin_permiso")
    assert resultado.returncode != 0
    assert "CREATEROLE" in resultado.stderr and "Traceback" not in resultado.stderr


GUION_QGIS = """
from qgis.core import QgsDataSourceUri, QgsVectorLayer
uri = QgsDataSourceUri()
uri.setConnection(parametros["host"], parametros["puerto"], parametros["base"], parametros["usuario"], "")
uri.setDataSource("qgis", "proyectos_puntos", "geom", "", "id")
capa = QgsVectorLayer(uri.uri(False), "proyectos", "postgres")
elementos = list(capa.getFeatures()) if capa.isValid() else []
resultado = {
    "valida": capa.isValid(),
    "cantidad": capa.featureCount(),
    "etapas": [f["etapa"] for f in elementos],
    "srid": capa.crs().postgisSrid(),
    "tipo": capa.wkbType(),
}
"""


@pytest.mark.qgis
def test_qgis_abre_la_vista_de_proyectos_como_capa_postgis(qgis_acceso, proyectos):
    rol, _ = qgis_acceso()
    d = connection.settings_dict
    resultado = ejecutar_pyqgis(
        GUION_QGIS, host=d["HOST"], puerto=str(d["PORT"]), base=d["NAME"], usuario=rol
    )
    assert resultado["valida"], resultado["avisos"]
    assert resultado["cantidad"] == 1
    assert resultado["etapas"] == ["Ejecución"]
    assert resultado["srid"] == 4326


@pytest.mark.parametrize("rol", ["app", "duenio"])
def test_no_convierte_en_lector_un_rol_que_ya_escribe_o_es_dueno(transactional_db, admin_bd, rol):
    usuario = settings.TERRITORIO_BD_ROL_APP if rol == "app" else connection.settings_dict["USER"]
    entorno = {"TERRITORIO_DATABASE_URL_ADMIN": url_base_de_datos(admin_bd)}
    resultado = manage_en_proceso("qgis_acceso_crear", "--usuario", usuario, entorno=entorno)
    assert resultado.returncode == 1
    assert resultado.stderr.strip() == (
        f"El rol «{usuario}» ya existe y no es un lector: tiene atributos de administración, es dueño de "
        "objetos o es el de la aplicación. Elija otro nombre con --usuario."
    )
    with conectar_bd(admin_bd) as conexion:
        ajustes = conexion.execute("SELECT rolconfig FROM pg_roles WHERE rolname = %s", [usuario]).fetchone()[
            0
        ]
    assert not any("default_transaction_read_only" in a for a in ajustes or [])
