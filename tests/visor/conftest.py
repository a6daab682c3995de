"""Datos del visor: un inmueble, un proyecto (punto) y una capa importada en el pueblo."""

import pytest
from django.contrib.gis.geos import Point

from tests.conftest import _entorno_servidor, gunicorn_levantado
from tests.factories import CENTRO, BienInmuebleFactory, ProyectoFactory, cuadrado


@pytest.fixture
def inmueble(comuna):
    """Inmueble cuadrado (0,001°) con esquina suroeste en el centro del pueblo."""
    return BienInmuebleFactory(
        comuna=comuna,
        nombre="Gimnasio Hualpín",
        destino="deportivo",
        estado_saneamiento="en_saneamiento",
        geom=cuadrado(),
    )


@pytest.fixture
def proyecto(comuna):
    """Proyecto puntual en el centro del inmueble."""
    return ProyectoFactory(
        comuna=comuna,
        nombre="Techado multicancha",
        etapa="diseno",
        institucion="servicio_publico",
        geom=Point(CENTRO[0] + 0.0005, CENTRO[1] + 0.0005, srid=4326),
    )


@pytest.fixture
def servidor_visor(transactional_db, estaticos, tmp_path):
    """Levanta gunicorn como en producción, más la capa de prueba en modo teselas (inmuebles de salud)."""
    entorno = {**_entorno_servidor(estaticos), "DJANGO_SETTINGS_MODULE": "tests.visor.ajustes_mvt"}
    with gunicorn_levantado(entorno, tmp_path / "gunicorn.log") as url:
        yield url
