"""Datos de las pruebas de páginas: proyectos con montos, fuentes y localidades reales de la comuna."""

from datetime import date, timedelta

import pytest
from django.contrib.gis.geos import Point

from apps.comunas.models import Localidad
from apps.ordenamiento.models import PropuestaUsoSuelo
from apps.proyectos.models import FuenteFinanciamiento
from tests.factories import (
    CENTRO,
    ActivoFactory,
    BienInmuebleFactory,
    ConcesionFactory,
    ProyectoFactory,
    cuadrado,
)


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


@pytest.fixture
def patrimonio(comuna):
    """Un inmueble de 100 m × ~110 m con un gimnasio, una concesión vencida y otra vigente sin término."""
    lon, lat = CENTRO
    inmueble = BienInmuebleFactory(
        comuna=comuna, nombre="Recinto deportivo Hualpín", geom=cuadrado(lon, lat, 0.001)
    )
    otro = BienInmuebleFactory(
        comuna=comuna, nombre="Sitio eriazo", destino="sin_uso", geom=cuadrado(lon + 0.01, lat, 0.001)
    )
    gimnasio = ActivoFactory(
        inmueble=inmueble, nombre="Gimnasio Hualpín", ubicacion=Point(lon + 0.0005, lat + 0.0005, srid=4326)
    )
    hoy = date.today()
    vencida = ConcesionFactory(
        activo=gimnasio,
        tipo="arriendo",
        titular_nombre="Cafetería El Budi SpA",
        titular_rut="76.086.428-5",
        fecha_inicio=hoy - timedelta(days=800),
        fecha_termino=hoy - timedelta(days=30),
        canon_clp=450_000,
        periodicidad="mensual",
        geom=cuadrado(lon, lat, 0.0003),
    )
    vigente = ConcesionFactory(
        activo=gimnasio,
        tipo="comodato",
        titular_nombre="Club Deportivo Hualpín",
        titular_rut="65.123.456-5",
        fecha_inicio=hoy - timedelta(days=10),
        fecha_termino=None,
        canon_clp=1_200_000,
        periodicidad="anual",
        geom=cuadrado(lon + 0.0006, lat + 0.0006, 0.0003),
    )
    return {"inmueble": inmueble, "otro": otro, "gimnasio": gimnasio, "vencida": vencida, "vigente": vigente}


@pytest.fixture
def propuestas(comuna):
    lon, lat = CENTRO
    comunes = {"comuna": comuna, "justificacion": "Crecimiento del pueblo hacia el norte."}
    return [
        PropuestaUsoSuelo.objects.create(
            nombre="Zona residencial norte",
            uso_propuesto="residencial",
            geom=cuadrado(lon, lat, 0.002),
            **comunes,
        ),
        PropuestaUsoSuelo.objects.create(
            nombre="Parque costero",
            uso_propuesto="area_verde",
            geom=cuadrado(lon + 0.01, lat, 0.001),
            **comunes,
        ),
    ]
