"""Datos de las pruebas de páginas: proyectos con montos, fuentes y localidades reales de la comuna."""

import pytest
from django.contrib.gis.geos import Point

from apps.comunas.models import Localidad
from apps.proyectos.models import FuenteFinanciamiento
from tests.factories import CENTRO, ProyectoFactory


@pytest.fixture
def fuente(db):
    return FuenteFinanciamiento.objects.get_or_create(
        codigo="fndr", defaults={"nombre": "Fondo Nacional de Desarrollo Regional", "tipo": "regional"}
    )[0]


@pytest.fixture
def localidad(comuna):
    return Localidad.objects.create(
        comuna=comuna, nombre="Hualpín", tipo="pueblo", ubicacion=Point(*CENTRO, srid=4326)
    )


@pytest.fixture
def proyectos(comuna, fuente, localidad):
    """Tres proyectos: dos FNDR en Hualpín (uno en ejecución) y uno municipal sin fuente, lejos."""
    lon, lat = CENTRO
    return [
        ProyectoFactory(
            comuna=comuna,
            nombre="Pavimentación calle Arturo Prat",
            etapa="ejecucion",
            fuente=fuente,
            localidad=localidad,
            monto_solicitado=120_000_000,
            monto_aprobado=100_000_000,
            codigo_bip="40012345-6",
            geom=Point(lon, lat, srid=4326),
        ),
        ProyectoFactory(
            comuna=comuna,
            nombre="Sede social Los Robles",
            etapa="diseno",
            fuente=fuente,
            localidad=localidad,
            monto_solicitado=35_500_000,
            monto_aprobado=30_250_000,
            geom=Point(lon + 0.002, lat, srid=4326),
        ),
        ProyectoFactory(
            comuna=comuna,
            nombre="Estudio de agua potable rural",
            etapa="perfil",
            tipologia="estudio_basico",
            monto_solicitado=9_000_000,
            geom=Point(lon + 0.05, lat + 0.02, srid=4326),
        ),
    ]
