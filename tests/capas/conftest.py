"""Fixtures comunes de las pruebas de capas."""

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
