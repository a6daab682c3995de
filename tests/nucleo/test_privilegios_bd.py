"""Mínimo privilegio: el rol de la aplicación no apaga la auditoría, la versión ni el trigger comunal."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from apps.nucleo.bd.privilegios import tablas_de_auditoria
from apps.proyectos.models import Proyecto
from tests.conftest import conectar_bd, manage_en_proceso, url_base_de_datos
from tests.factories import ProyectoFactory

TABLA = Proyecto._meta.db_table
EVENTOS = Proyecto.pgh_event_model._meta.db_table
# Un cuadrado en Santiago (Plaza de Armas), a ~600 km de Teodoro Schmidt.
SANTIAGO = (
    "SRID=4326;MULTIPOLYGON(((-70.651 -33.438,-70.649 -33.438,-70.649 -33.436,-70.651 -33.436,"
    "-70.651 -33.438)))"
)
PROHIBIDO = psycopg.errors.InsufficientPrivilege


@pytest.fixture
def app(transactional_db):
    """Devuelve un cursor conectado a la base de pruebas como el rol de la aplicación."""
    with conectar_bd() as conexion, conexion.cursor() as cursor:
        yield cursor


@pytest.fixture
def proyecto(transactional_db, comuna):
    """Devuelve un proyecto de Teodoro Schmidt ya confirmado (lo ve otra conexión)."""
    return ProyectoFactory(comuna=comuna, nombre="Posta rural", etapa="perfil")


def test_el_rol_de_la_aplicacion_no_es_superusuario_ni_dueno_de_nada(app):
    app.execute(
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication FROM pg_roles "
        "WHERE rolname = current_user"
    )
    assert app.fetchone() == (False, False, False, False, False)
    app.execute("SELECT current_user")
    assert app.fetchone()[0] == settings.TERRITORIO_BD_ROL_APP
    app.execute(
        "SELECT count(*) FROM pg_class "
        "WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
    )
    assert app.fetchone()[0] == 0
    app.execute(
        "SELECT pg_get_userbyid(datdba) = current_user FROM pg_database WHERE datname = current_database()"
    )
    assert app.fetchone()[0] is False


def test_la_aplicacion_no_puede_apagar_los_triggers(app):
    with pytest.raises(PROHIBIDO):
        app.execute("SET session_replication_role = replica")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="must be owner"):
        app.execute(f'ALTER TABLE "{TABLA}" DISABLE TRIGGER ALL')
    app.execute("SHOW session_replication_role")
    assert app.fetchone()[0] == "origin"


@pytest.mark.parametrize(
    "ddl",
    [
        "CREATE TABLE public.intrusa (id int)",
        f'DROP TABLE "{TABLA}"',
        f'ALTER TABLE "{TABLA}" ADD COLUMN intrusa int',
        f'ALTER TABLE "{TABLA}" DROP CONSTRAINT proyecto_geom_valida',
        "CREATE FUNCTION public.intrusa() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        f'CREATE TRIGGER intruso BEFORE UPDATE ON "{TABLA}" '
        "FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
        f'DROP TRIGGER "pgtrigger_version_automatica_d941b" ON "{TABLA}"',
        "CREATE SCHEMA intruso",
    ],
)
def test_la_aplicacion_no_puede_cambiar_el_esquema(app, ddl):
    with pytest.raises(PROHIBIDO):
        app.execute(ddl)


def test_un_cambio_de_la_aplicacion_deja_evento_y_sube_la_version(app, proyecto):
    app.execute(f'SELECT version FROM "{TABLA}" WHERE id = %s', [proyecto.pk])
    (version,) = app.fetchone()
    app.execute(f'UPDATE "{TABLA}" SET nombre = %s WHERE id = %s', ["Posta rural Barros Arana", proyecto.pk])
    app.execute(f'SELECT version FROM "{TABLA}" WHERE id = %s', [proyecto.pk])
    assert app.fetchone()[0] == version + 1
    app.execute(
        f'SELECT nombre FROM "{EVENTOS}" WHERE pgh_obj_id = %s AND pgh_label = %s', [proyecto.pk, "cambio"]
    )
    assert app.fetchall() == [("Posta rural Barros Arana",)]


def test_un_poligono_en_santiago_se_rechaza_aunque_lo_escriba_la_aplicacion(app, proyecto):
    with pytest.raises(psycopg.errors.CheckViolation, match="fuera del límite de su comuna"):
        app.execute(f'UPDATE "{TABLA}" SET geom = %s WHERE id = %s', [SANTIAGO, proyecto.pk])
    with pytest.raises(psycopg.errors.CheckViolation, match="fuera del límite de su comuna"):
        app.execute(
            f'INSERT INTO "{TABLA}" (codigo_bip, nombre, descripcion, tipologia, etapa, institucion, '
            "institucion_nombre, unidad_tecnica, comuna_id, geom, version, creado, modificado, es_demo) "
            "VALUES ('', 'Intruso', '', 'proyecto', 'idea', 'municipal', '', '', %s, %s, 1, now(), now(), "
            "false)",
            [proyecto.comuna_id, SANTIAGO],
        )
    app.execute(f'SELECT count(*) FROM "{TABLA}"')
    assert app.fetchone()[0] == 1


def test_la_auditoria_no_se_vacia_ni_se_reescribe(app, proyecto):
    for tabla in (EVENTOS, *tablas_de_auditoria()[:1]):
        with pytest.raises(PROHIBIDO):
            app.execute(f'TRUNCATE "{tabla}"')
    with pytest.raises(PROHIBIDO):
        app.execute(f'UPDATE "{EVENTOS}" SET nombre = %s', ["reescrito"])
    with pytest.raises(PROHIBIDO):
        app.execute(f'DELETE FROM "{EVENTOS}"')
    app.execute(f'SELECT count(*) FROM "{EVENTOS}" WHERE pgh_obj_id = %s', [proyecto.pk])
    assert app.fetchone()[0] == 1


def test_el_dueno_no_es_superusuario_y_postgis_ya_esta_creada(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, True)
        # Lo que hace Django al preparar la base: sin superusuario, solo funciona si ya existe.
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cursor.execute("SELECT pg_get_userbyid(extowner) FROM pg_extension WHERE extname = 'postgis'")
        assert cursor.fetchone()[0] == "postgres"


def test_una_url_de_migracion_a_otra_base_detiene_el_arranque(db):
    otra = url_base_de_datos({"USER": connection.settings_dict["USER"], "NAME": "otra_base"})
    resultado = manage_en_proceso("check", entorno={"TERRITORIO_DATABASE_URL_MIGRACION": otra})
    assert resultado.returncode != 0
    assert (
        "TERRITORIO_DATABASE_URL_MIGRACION debe apuntar a la misma base que DATABASE_URL" in resultado.stderr
    )


def test_pgtrigger_ignore_no_salta_auditoria_version_ni_limite_comunal(app, proyecto):
    # pgtrigger deja saltar triggers con una variable de sesión que cualquier rol puede fijar.
    app.execute(
        "SELECT array_agg(tgname) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLA]
    )
    todos = app.fetchone()[0]
    assert any(t.startswith("pgtrigger_version_automatica") for t in todos)
    app.execute("SELECT set_config('pgtrigger.ignore', %s, false)", ["{" + ",".join(todos) + "}"])
    app.execute(f'SELECT version FROM "{TABLA}" WHERE id = %s', [proyecto.pk])
    (version,) = app.fetchone()
    app.execute(f'UPDATE "{TABLA}" SET nombre = %s WHERE id = %s', ["Sin rastro", proyecto.pk])
    app.execute(f'SELECT version FROM "{TABLA}" WHERE id = %s', [proyecto.pk])
    assert app.fetchone()[0] == version + 1
    app.execute(
        f'SELECT count(*) FROM "{EVENTOS}" WHERE pgh_obj_id = %s AND nombre = %s', [proyecto.pk, "Sin rastro"]
    )
    assert app.fetchone()[0] == 1
    with pytest.raises(psycopg.errors.CheckViolation, match="fuera del límite de su comuna"):
        app.execute(f'UPDATE "{TABLA}" SET geom = %s WHERE id = %s', [SANTIAGO, proyecto.pk])


def test_la_aplicacion_no_borra_el_contexto_de_auditoria_ni_mueve_secuencias(app, proyecto):
    with pytest.raises(PROHIBIDO):
        app.execute("DELETE FROM pghistory_context")
    app.execute("SELECT pg_get_serial_sequence(%s, 'pgh_id')", [EVENTOS])
    secuencia = app.fetchone()[0]
    with pytest.raises(PROHIBIDO):
        app.execute("SELECT setval(%s, 1)", [secuencia])
