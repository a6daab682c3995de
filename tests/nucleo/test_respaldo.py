"""Respaldos que se restauran: pg_dump/pg_restore reales, una base desechable y MEDIA_ROOT nuevo."""

import hashlib
import json
import os
import tarfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import LineString, Point
from django.db import OperationalError, ProgrammingError, connection

from apps.nucleo.auditoria import contexto_auditoria
from apps.proyectos.models import Proyecto
from capas.importacion.raster import raster_importar
from capas.importacion.vectorial import capa_importar
from tests.conftest import manage_en_proceso
from tests.factories import CENTRO, BienInmuebleFactory, ProyectoFactory, cuadrado
from tests.factories.archivos import geojson_poligono, geotiff_pequeno

# Tablas propias (sin las de extensiones como spatial_ref_sys, que template1 ya trae con PostGIS).
_TABLAS = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
"""
_COLUMNAS_GEOMETRICAS = """
SELECT f_table_name, f_geometry_column FROM geometry_columns
WHERE f_table_schema = 'public' AND f_table_name IN (
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
)
ORDER BY 1, 2
"""
_CLAVE = """
SELECT a.attname FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
WHERE i.indrelid = %s::regclass AND i.indisprimary
"""


@pytest.fixture
def media(settings, tmp_path):
    """Usa un MEDIA_ROOT propio de la prueba."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sitio(transactional_db, comuna, media, tmp_path):
    """Carga proyectos e inmuebles con geometrías, ediciones auditadas, una capa vectorial y un ráster."""
    lon, lat = CENTRO
    with contexto_auditoria(origen="prueba_respaldo"):
        proyectos = [
            ProyectoFactory(comuna=comuna, geom=Point(lon + i * 0.002, lat, srid=4326)) for i in range(3)
        ]
        ProyectoFactory(comuna=comuna, geom=LineString((lon, lat), (lon + 0.01, lat + 0.01), srid=4326))
        for i in range(2):
            BienInmuebleFactory(comuna=comuna, rol_predio=30 + i, geom=cuadrado(lon + i * 0.003, lat, 0.001))
        for proyecto in proyectos[:2]:
            proyecto.nombre += " (editado)"
            proyecto.save()
        proyectos[2].delete()
    geojson = geojson_poligono(tmp_path / "sector.geojson")
    capa_importar(ruta=geojson, nombre="sector", titulo="Sector", categoria="referencia")
    raster_importar(ruta=geotiff_pequeno(tmp_path / "pendiente.tif"), nombre="pendiente", titulo="Pendiente")
    # Un archivo de MEDIA_ROOT que no es ráster también vuelve.
    (media / "documentos").mkdir(parents=True)
    (media / "documentos" / "acta.txt").write_text("Acta del Concejo\n")


@pytest.fixture
def base_desechable(transactional_db):
    """Crea una base vacía en el mismo clúster y la elimina al final (aunque haya conexiones)."""
    nombre = f"{connection.settings_dict['NAME']}_restaurada"
    _borrar_base(nombre)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{nombre}"')
    yield nombre
    _borrar_base(nombre)


def _borrar_base(nombre: str) -> None:
    """Borra la base aunque tenga conexiones; espera si la ocupa un autovacuum tras la restauración.

    El dueño no es superusuario: WITH (FORCE) corta sus propias sesiones, pero no las del autovacuum
    (del superusuario), que analiza las tablas recién restauradas y termina en segundos.
    """
    limite = time.monotonic() + 30
    while True:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)')
            return
        except (ProgrammingError, OperationalError):
            if time.monotonic() > limite:
                raise
            time.sleep(0.5)


def _respaldar(media: Path, salida: Path) -> Path:
    """Corre respaldo_crear en un proceso aparte y devuelve la ruta del respaldo."""
    resultado = manage_en_proceso(
        "respaldo_crear", "--salida", salida, duenio=True, entorno={"MEDIA_ROOT": str(media)}
    )
    assert resultado.returncode == 0, resultado.stderr
    assert f"Respaldo creado: {salida}" in resultado.stdout
    return salida


def _restaurar(archivo: Path, base: str | None, media: Path, *opciones):
    """Corre respaldo_restaurar en un proceso aparte contra ``base`` y ``media``."""
    return manage_en_proceso(
        "respaldo_restaurar",
        archivo,
        *opciones,
        duenio=True,
        base=base,
        entorno={"MEDIA_ROOT": str(media)},
        timeout=300,
    )


def _inventario(nombre_base: str | None = None) -> dict:
    """Devuelve filas por tabla y, por columna geométrica, (md5 de EWKB ordenado por clave, n, inválidas)."""
    parametros = {**connection.get_connection_params(), **({"dbname": nombre_base} if nombre_base else {})}
    crudo = connection.get_new_connection(parametros)
    try:
        filas = {
            tabla: crudo.execute(f'SELECT count(*) FROM "{tabla}"').fetchone()[0]
            for (tabla,) in crudo.execute(_TABLAS).fetchall()
        }
        geometrias = {}
        for tabla, columna in crudo.execute(_COLUMNAS_GEOMETRICAS).fetchall():
            (clave,) = crudo.execute(_CLAVE, [f'"{tabla}"']).fetchone()
            geometrias[f"{tabla}.{columna}"] = crudo.execute(
                f"SELECT md5(string_agg(encode(ST_AsEWKB(\"{columna}\"), 'hex'), ',' ORDER BY \"{clave}\")), "
                f'count("{columna}"), count(*) FILTER (WHERE NOT ST_IsValid("{columna}")) FROM "{tabla}"'
            ).fetchone()
    finally:
        crudo.close()
    return {"filas": filas, "geometrias": geometrias}


def _sumas(media: Path) -> dict[str, str]:
    """Devuelve el sha256 de cada archivo bajo ``media`` (ruta relativa → suma)."""
    return {
        p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(media.rglob("*"))
        if p.is_file()
    }


def _voltear_byte(archivo: Path, miembro: str, copia: Path) -> Path:
    """Copia el respaldo cambiando un byte en medio del contenido de ``miembro``."""
    with tarfile.open(archivo) as tar:
        info = tar.getmember(miembro)
    datos = bytearray(archivo.read_bytes())
    datos[info.offset_data + info.size // 2] ^= 0x01
    copia.write_bytes(bytes(datos))
    return copia


def _tablas_de(nombre_base: str) -> list[str]:
    """Devuelve las tablas de la base (para ver que una restauración rechazada no creó nada)."""
    crudo = connection.get_new_connection({**connection.get_connection_params(), "dbname": nombre_base})
    try:
        return [tabla for (tabla,) in crudo.execute(_TABLAS).fetchall()]
    finally:
        crudo.close()


def test_respaldo_se_restaura_identico_en_una_base_vacia(sitio, media, base_desechable, tmp_path):
    archivo = _respaldar(media, tmp_path / "respaldos" / "sitio.tar")
    assert archivo.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in archivo.parent.iterdir()] == ["sitio.tar"]  # sin temporales
    with tarfile.open(archivo) as tar:
        nombres = tar.getnames()
        manifiesto = json.load(tar.extractfile("manifiesto.json"))
    assert sorted(nombres) == [
        "base.dump",
        "manifiesto.json",
        "media/documentos/acta.txt",
        "media/rasters/pendiente.tif",
    ]
    assert manifiesto["formato"] == "territorio-respaldo" and manifiesto["version"] == 1
    assert manifiesto["comuna_cut"] == "09117"
    assert manifiesto["base"]["postgresql"].startswith("15.")
    assert manifiesto["base"]["postgis"].startswith("3.")
    assert manifiesto["base"]["tablas"]["public.proyectos_proyecto"] == 3
    assert manifiesto["base"]["tablas"]["public.proyectos_proyectoevent"] == 7  # 4 altas, 2 cambios, 1 baja
    sumas_media = {a["ruta"]: a["sha256"] for a in manifiesto["archivos"]}
    assert sumas_media["media/rasters/pendiente.tif"] == _sumas(media)["rasters/pendiente.tif"]

    original = _inventario()
    restaurado_en = tmp_path / "media-restaurada"
    resultado = _restaurar(archivo, base_desechable, restaurado_en)
    assert resultado.returncode == 0, resultado.stderr
    assert "restaurado" in resultado.stdout and "2 archivos copiados" in resultado.stdout

    restaurado = _inventario(base_desechable)
    assert restaurado["filas"] == original["filas"]
    assert restaurado["geometrias"] == original["geometrias"]
    assert all(invalidas == 0 for _md5, _n, invalidas in restaurado["geometrias"].values())
    assert restaurado["geometrias"]["proyectos_proyecto.geom"][1] == 3
    assert restaurado["geometrias"]["capas_elementoreferencia.geom"][1] == 1
    eventos = {t: n for t, n in restaurado["filas"].items() if t.endswith("event")}
    assert eventos["proyectos_proyectoevent"] == 7 and eventos["patrimonio_bieninmuebleevent"] == 2
    assert eventos["capas_caparasterevent"] == 1 and eventos == {
        t: n for t, n in original["filas"].items() if t.endswith("event")
    }
    assert restaurado["filas"]["capas_nombrecapa"] == 2
    assert _sumas(restaurado_en) == _sumas(media)
    assert not list(restaurado_en.rglob(".*"))  # sin archivos temporales de la restauración


def test_respaldo_danado_o_de_otra_comuna_se_rechaza_antes_de_tocar_nada(
    sitio, media, base_desechable, tmp_path
):
    archivo = _respaldar(media, tmp_path / "sitio.tar")
    destino = tmp_path / "media-restaurada"
    for miembro in ("base.dump", "media/rasters/pendiente.tif"):
        danado = _voltear_byte(archivo, miembro, tmp_path / "danado.tar")
        resultado = _restaurar(danado, base_desechable, destino)
        assert resultado.returncode != 0
        assert f"El respaldo está dañado: no coinciden con su sha256: {miembro}" in resultado.stderr
        assert "no se restauró nada" in resultado.stderr.lower()
        assert "Traceback" not in resultado.stderr
        assert _tablas_de(base_desechable) == []
        assert not destino.exists()

    otra_comuna = manage_en_proceso(
        "respaldo_restaurar",
        archivo,
        duenio=True,
        base=base_desechable,
        entorno={"MEDIA_ROOT": str(destino), "TERRITORIO_COMUNA_CUT": "09101"},
    )
    assert otra_comuna.returncode != 0
    assert "es de la comuna 09117 y este sitio está configurado para la 09101" in otra_comuna.stderr
    assert _tablas_de(base_desechable) == [] and not destino.exists()


def test_no_restaura_sobre_una_base_con_datos_sin_forzar(sitio, media, base_desechable, tmp_path):
    archivo = _respaldar(media, tmp_path / "sitio.tar")
    antes = _inventario()

    resultado = _restaurar(archivo, None, tmp_path / "otra-media")
    assert resultado.returncode != 0
    assert "no está vacía" in resultado.stderr and "--forzar" in resultado.stderr
    assert _inventario() == antes
    assert not (tmp_path / "otra-media").exists()

    # Con --forzar se reemplaza el contenido (pg_restore --clean en la misma transacción).
    destino = tmp_path / "media-restaurada"
    assert _restaurar(archivo, base_desechable, destino).returncode == 0
    (destino / "rasters" / "pendiente.tif").write_bytes(b"otro contenido")
    forzado = _restaurar(archivo, base_desechable, destino, "--forzar")
    assert forzado.returncode == 0, forzado.stderr
    assert "1 archivos copiados" in forzado.stdout and "(1 ya estaban iguales)" in forzado.stdout
    assert _inventario(base_desechable) == antes
    assert _sumas(destino) == _sumas(media)


def test_media_distinta_se_rechaza_sin_forzar(sitio, media, base_desechable, tmp_path):
    archivo = _respaldar(media, tmp_path / "sitio.tar")
    destino = tmp_path / "media-restaurada"
    (destino / "documentos").mkdir(parents=True)
    (destino / "documentos" / "acta.txt").write_text("Otra acta\n")
    resultado = _restaurar(archivo, base_desechable, destino)
    assert resultado.returncode != 0
    assert "ya tiene archivos distintos" in resultado.stderr and "documentos/acta.txt" in resultado.stderr
    assert _tablas_de(base_desechable) == []
    assert os.listdir(destino) == ["documentos"]


def test_restaura_como_rol_dueno_sin_superusuario_y_conserva_los_permisos_del_rol_de_la_app(
    sitio, media, base_desechable, tmp_path
):
    # La suite corre como el dueño sin superusuario (docs/seguridad.md, «Base de datos»): la base
    # desechable la crea él desde template1, que ya trae PostGIS, como en una instalación real.
    dueno, app = connection.settings_dict["USER"], settings.TERRITORIO_BD_ROL_APP
    archivo = _respaldar(media, tmp_path / "sitio.tar")

    resultado = _restaurar(archivo, base_desechable, tmp_path / "media-restaurada")
    assert resultado.returncode == 0, resultado.stderr

    assert _inventario(base_desechable) == _inventario()
    crudo = connection.get_new_connection({**connection.get_connection_params(), "dbname": base_desechable})
    try:
        permisos = crudo.execute(
            "SELECT pg_get_userbyid(c.relowner), has_table_privilege(%s, c.oid, 'INSERT'), "
            f"has_table_privilege(%s, '{Proyecto.pgh_event_model._meta.db_table}', 'UPDATE'), "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
            "FROM pg_class c WHERE c.oid = 'proyectos_proyecto'::regclass",
            [app, app],
        ).fetchone()
    finally:
        crudo.close()
    assert permisos == (dueno, True, False, False)
