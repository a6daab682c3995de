"""Fuzz acotado de la API con schemathesis contra su propio esquema: ninguna entrada da un 5xx.

Solo GET y POST de proyectos, concesiones y propuestas, pocos ejemplos por operación (< 60 s): basta
para cubrir parámetros, cuerpos y geometrías raras sin volver lenta la suite.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from territorio.wsgi import application
from tests.api.conftest import CLAVE
from tests.conftest import basic

# El esquema lo sirve la misma aplicación WSGI (no toca la base); from_fixture no funciona con
# pytest 9 (schemathesis 4.32 usa un atributo interno de pytest que ya no existe).
esquema = schemathesis.openapi.from_wsgi("/api/esquema/?format=json", application).include(
    method=["GET", "POST"], path_regex=r"^/api/(proyectos|concesiones|propuestas)/"
)


@pytest.fixture
def autorizacion(planificador):
    """Devuelve la cabecera Basic de la planificadora."""
    return basic(planificador.username, CLAVE)


@esquema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_no_responde_5xx(case, transactional_db, registros, autorizacion):
    respuesta = case.call(headers={"Authorization": autorizacion})
    # Ningún 5xx, y lo que sale (listas armadas por PostGIS incluidas) cumple el esquema publicado.
    case.validate_response(respuesta, checks=[not_a_server_error, response_schema_conformance])
    assert respuesta.status_code < 500
    if respuesta.status_code >= 400 and respuesta.headers.get("Content-Type", "").startswith(
        "application/json"
    ):
        assert "detalle" in respuesta.json()
