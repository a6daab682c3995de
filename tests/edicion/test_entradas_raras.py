"""Entradas raras en los formularios de edición: se explican en español, nunca un 500, nada guardado."""

import pytest

from apps.proyectos.models import Proyecto
from tests.edicion.conftest import datos_proyecto


@pytest.mark.parametrize(
    "basura",
    [
        "[]",
        "123",
        "no es json",
        "[" * 50_000,
        '{"type": "Foo", "coordinates": [1, 2]}',
        '{"type": "Point", "coordinates": [1e400, 0]}',
        '{"type": "Point", "coordinates": [-73.08, -38.99, 12]}',
        '{"type": "GeometryCollection", "geometries": []}',
    ],
)
def test_geometria_basura_se_explica_sin_500(cliente, basura):
    respuesta = cliente.post("/proyectos/nuevo/", datos_proyecto(geom=basura))
    assert respuesta.status_code == 200
    assert 'id="dibujo-error"' in respuesta.content.decode()
    assert not Proyecto.objects.exists()


@pytest.mark.parametrize(
    ("campo", "valor"),
    [
        ("monto_solicitado", "99.999.999.999.999.999.999.999"),
        ("monto_solicitado", "150,5"),
        ("fuente", "abc"),
        ("etapa", "no-existe"),
        ("codigo_bip", "123"),
    ],
)
def test_campos_raros_se_explican_sin_500(cliente, campo, valor):
    respuesta = cliente.post("/proyectos/nuevo/", datos_proyecto(**{campo: valor}))
    assert respuesta.status_code == 200
    assert "No se guardó nada" in respuesta.content.decode()
    assert not Proyecto.objects.exists()
