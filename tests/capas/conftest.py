"""Fixtures comunes de las pruebas de capas."""

import shutil
import socket
import tempfile
import threading
from pathlib import Path

import pytest

from capas.models import CapaReferencia, ElementoReferencia
from tests.capas.test_exportacion_datos import cargar_datos


@pytest.fixture
def datos(comuna):
    """Devuelve la demo y las capas importadas de prueba cargadas (ver test_exportacion_datos)."""
    return cargar_datos(comuna)


@pytest.fixture
def sin_rastros(db):
    """Verifica al final que ningún rechazo dejó filas ni directorios temporales.

    test_importacion_seguridad define uno más estricto (también archivos ráster) para sus módulos.
    """
    antes = set(Path(tempfile.gettempdir()).glob("territorio-importar-*"))
    yield
    assert CapaReferencia.objects.count() == 0
    assert ElementoReferencia.objects.count() == 0
    assert set(Path(tempfile.gettempdir()).glob("territorio-importar-*")) == antes


class Escucha:
    """Servidor HTTP mínimo en 127.0.0.1 (puerto al azar) que anota cada conexión que recibe."""

    def __init__(self):
        self._servidor = socket.create_server(("127.0.0.1", 0))
        self.puerto = self._servidor.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.puerto}"
        self.peticiones: list[bytes] = []
        threading.Thread(target=self._atender, daemon=True).start()

    def _atender(self):
        while True:
            try:
                conexion, _direccion = self._servidor.accept()
            except OSError:
                return
            with conexion:
                conexion.settimeout(2)
                try:
                    self.peticiones.append(conexion.recv(4096))
                    # Responder rápido: un cliente que espera no debe alargar la prueba de control.
                    conexion.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    self.peticiones.append(b"")

    def cerrar(self):
        """Deja de escuchar."""
        self._servidor.close()


@pytest.fixture
def escucha():
    """Devuelve un servidor de 127.0.0.1 que cuenta peticiones (GDAL no debe hacerle ninguna)."""
    servidor = Escucha()
    yield servidor
    servidor.cerrar()


# --- Trabajos: cola real (Procrastinate), trabajador en este proceso e insumos hostiles ---


def _cola_vaciar():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_jobs, procrastinate_periodic_defers, procrastinate_workers CASCADE"
        )


@pytest.fixture
def trabajador(transactional_db, settings, tmp_path, monkeypatch):
    """Devuelve una función que corre el trabajador real de la cola aquí hasta vaciarla.

    Las tablas de Procrastinate no son de modelos administrados: el vaciado entre pruebas
    transaccionales no las toca, así que se vacían aquí antes y después. El temporal del sistema
    de esta prueba es propio: otras suites que corren a la vez en la máquina no se confunden con
    lo que deje (o no deje) esta.
    """
    from procrastinate.contrib.django import app

    settings.CAPAS_TRABAJOS_DIR = tmp_path / "trabajos"
    # Ruta corta: Chromium (pruebas de navegador) pone ahí un socket con límite de largo.
    sistema = Path(tempfile.mkdtemp(prefix="ts-"))
    monkeypatch.setattr(tempfile, "tempdir", str(sistema))
    _cola_vaciar()

    def correr(concurrencia: int = 1) -> None:
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(
                queues=["trabajos"],
                wait=False,
                concurrency=concurrencia,
                install_signal_handlers=False,
                listen_notify=False,
            )

    yield correr
    _cola_vaciar()
    shutil.rmtree(sistema, ignore_errors=True)


@pytest.fixture
def gpkg_sin_fin(tmp_path):
    """Devuelve un GeoPackage (~100 KB) cuya capa es una vista recursiva que nunca termina."""
    import sqlite3

    ruta = tmp_path / "sin_fin.gpkg"
    con = sqlite3.connect(ruta)
    con.executescript(
        """
        PRAGMA application_id = 1196444487;
        PRAGMA user_version = 10300;
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
          organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
          description TEXT);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",
          DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],
          UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]', '');
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', '');
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', '');
        CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
          identifier TEXT UNIQUE, description TEXT DEFAULT '',
          last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
          geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
          PRIMARY KEY (table_name, column_name));
        CREATE VIEW sin_fin AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
          SELECT n AS fid, CAST(NULL AS BLOB) AS geom, 'x' || n AS nombre FROM r;
        INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id)
          VALUES ('sin_fin', 'features', 'sin_fin', 4326);
        INSERT INTO gpkg_geometry_columns VALUES ('sin_fin', 'geom', 'POINT', 4326, 0, 0);
        CREATE TABLE relleno (datos BLOB);
        """
    )
    con.execute("INSERT INTO relleno VALUES (?)", [bytes(80_000)])
    con.commit()
    con.close()
    return ruta


@pytest.fixture
def tiff_disperso(tmp_path):
    """Devuelve un GeoTIFF disperso (~33 KB) que declara 31.000 × 31.000 píxeles Float64 en la comuna."""
    import numpy as np
    import rasterio
    from affine import Affine

    ruta = tmp_path / "disperso.tif"
    perfil = {
        "driver": "GTiff",
        "width": 31000,
        "height": 31000,
        "count": 1,
        "dtype": "float64",
        "crs": "EPSG:4326",
        "transform": Affine(1e-5, 0, -73.3, 0, -1e-5, -38.85),
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
        "sparse_ok": True,
        "compress": "deflate",
    }
    with rasterio.open(ruta, "w", **perfil) as ds:
        # Una sola tesela escrita: el resto no ocupa disco, pero GDAL la lee como ceros.
        ds.write(np.ones((1, 512, 512)), window=((0, 512), (0, 512)))
    return ruta


# --- WMS local (MapServer) para los mapas base: fixture ``wms`` (tests/wms.py) ---
from tests.wms import wms  # noqa: E402,F401
