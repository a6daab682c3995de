"""Esquema OpenAPI de la API (válido, en español) y documentación navegable sin recursos externos."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from drf_spectacular.validation import validate_schema

from apps.api import vistas

pytestmark = pytest.mark.django_db


def test_spectacular_valida_sin_advertencias(tmp_path):
    destino = tmp_path / "esquema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(destino))
    assert "/api/proyectos/{id}/" in destino.read_text()


def test_esquema_servido_es_openapi_3_valido_y_en_espanol():
    respuesta = Client().get("/api/esquema/?format=json")
    assert respuesta.status_code == 200
    esquema = respuesta.json()
    validate_schema(esquema)  # contra el JSON Schema de OpenAPI 3 que trae drf-spectacular
    assert esquema["openapi"].startswith("3.")
    assert esquema["info"]["title"] == "API de Territorio"
    lista = esquema["paths"]["/api/proyectos/"]["get"]
    assert lista["summary"] == "Lista proyectos"
    parametros = {p["name"]: p for p in lista["parameters"]}
    assert {"bbox", "limit", "offset", "etapa", "monto_min"} <= parametros.keys()
    assert "EPSG:4326" in parametros["bbox"]["description"]
    borrar = esquema["paths"]["/api/proyectos/{id}/"]["delete"]
    assert {"version", "If-Match"} <= {p["name"] for p in borrar["parameters"]}
    put = esquema["paths"]["/api/proyectos/{id}/"]["put"]
    assert "409" in put["responses"]
    edicion = put["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "version" in esquema["components"]["schemas"][edicion]["required"]
    geometria = esquema["components"]["schemas"]["Proyecto"]["properties"]["geometry"]
    assert "EPSG:4326" in geometria["description"]
    assert esquema["components"]["securitySchemes"]["basicAuth"]["scheme"] == "basic"


def test_docs_sin_recursos_externos_y_servidos_localmente():
    respuesta = Client().get("/api/docs/")
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "swagger-ui" in html
    externos = re.findall(r"https?://[^\s\"'<>]+", html)
    assert externos == [], externos
    locales = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any(r.endswith("swagger-ui-bundle.js") for r in locales), locales
    for recurso in locales:
        assert finders.find(recurso.removeprefix("/static/")), recurso


@pytest.mark.parametrize(
    "vista",
    [
        vistas.ProyectoVista,
        vistas.BienInmuebleVista,
        vistas.ActivoVista,
        vistas.ConcesionVista,
        vistas.PropuestaVista,
    ],
)
def test_lectura_de_postgis_trae_las_mismas_claves_que_el_esquema(vista):
    assert list(vista.campos_lectura) == list(vista.serializer_class().fields)
