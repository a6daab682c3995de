"""Fixtures de la API: clientes con HTTP Basic por rol y registros de la comuna real."""

import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.test import Client

from apps.ordenamiento.services import propuesta_crear
from apps.patrimonio.services import activo_crear, bien_inmueble_crear
from apps.proyectos.services import proyecto_crear
from tests.conftest import basic

CLAVE = "clave-de-prueba-1"


class ClienteAPI(Client):
    """Cliente de Django que envía y recibe JSON con una cabecera Basic fija (o ninguna)."""

    def __init__(self, autorizacion: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.autorizacion = autorizacion

    def _cabeceras(self, extra):
        cabeceras = dict(extra.pop("headers", None) or {})
        if self.autorizacion:
            cabeceras.setdefault("Authorization", self.autorizacion)
        return cabeceras

    def enviar(self, metodo: str, url: str, datos=None, **extra):
        """Envía ``datos`` como JSON (o el texto tal cual si ya es str)."""
        cuerpo = datos if isinstance(datos, str) else json.dumps(datos)
        return getattr(self, metodo)(
            url, cuerpo, content_type="application/json", headers=self._cabeceras(extra), **extra
        )

    def leer(self, url: str, **extra):
        """Hace un GET con la cabecera Basic."""
        return self.get(url, headers=self._cabeceras(extra), **extra)


@pytest.fixture
def api_planificador(planificador):
    """Devuelve un cliente autenticado por Basic como Planificador."""
    return ClienteAPI(basic(planificador.username, CLAVE))


@pytest.fixture
def api_consulta(consulta):
    """Devuelve un cliente autenticado por Basic como Consulta."""
    return ClienteAPI(basic(consulta.username, CLAVE))


@pytest.fixture
def centro(comuna) -> Point:
    """Devuelve un punto dentro de la comuna (en su superficie)."""
    return comuna.limite.point_on_surface


def cuadrado(centro: Point, lado: float = 0.002, dx: float = 0.0) -> MultiPolygon:
    """Devuelve un cuadrado (multipolígono 4326) de ``lado`` grados alrededor del centro."""
    x, y = centro.x + dx, centro.y
    m = lado / 2
    return MultiPolygon(Polygon.from_bbox((x - m, y - m, x + m, y + m)), srid=4326)


@pytest.fixture
def registros(comuna, planificador, centro):
    """Crea por los servicios 3 proyectos, un inmueble con un activo y una propuesta."""
    proyectos = [
        proyecto_crear(
            datos={
                "nombre": f"Proyecto {i}",
                "tipologia": "proyecto",
                "etapa": "ejecucion" if i % 2 else "idea",
                "institucion": "municipal",
                "monto_solicitado": 100_000_000 * (i + 1),
                "geom": Point(centro.x + 0.01 * i, centro.y, srid=4326),
            },
            actor=planificador,
        )
        for i in range(3)
    ]
    inmueble = bien_inmueble_crear(
        datos={
            "nombre": "Estadio municipal",
            "rol_manzana": 573,
            "rol_predio": 24,
            "destino": "deportivo",
            "tenencia": "dominio",
            "geom": cuadrado(centro),
        },
        actor=planificador,
    )
    activo = activo_crear(
        datos={"inmueble": inmueble, "nombre": "Estadio", "tipo": "estadio", "ubicacion": centro},
        actor=planificador,
    )
    propuesta = propuesta_crear(
        datos={
            "nombre": "Área verde ribereña",
            "uso_propuesto": "area_verde",
            "justificacion": "Borde del río.",
            "geom": cuadrado(centro, dx=0.01),
        },
        actor=planificador,
    )
    return {"proyectos": proyectos, "inmueble": inmueble, "activo": activo, "propuesta": propuesta}
