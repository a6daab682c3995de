"""Fixtures comunes de las pruebas de capas."""

import tempfile
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
