"""Datos del visor: un inmueble, un proyecto (punto) y una capa importada en el pueblo."""

import pytest
from django.contrib.gis.geos import Point

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
