"""Ningún mensaje de la API llega en inglés: DRF, django-filter y los modelos hablan es-CL."""

import re

import pytest
from django.test import Client

from tests.api.conftest import ClienteAPI
from tests.conftest import basic

pytestmark = pytest.mark.django_db

_INGLES = re.compile(
    r"\b(this|field|required|invalid|valid|must|not found|expected|object|error|parse|"
    r"permission|credentials|allowed|select|choice|number|enter|ensure|unsupported)\b",
    re.IGNORECASE,
)


def _textos(valor):
    if isinstance(valor, dict):
        for v in valor.values():
            yield from _textos(v)
    elif isinstance(valor, list):
        for v in valor:
            yield from _textos(v)
    elif isinstance(valor, str):
        yield valor


def test_los_errores_de_la_api_estan_en_espanol(api_planificador, api_consulta, registros):
    pk = registros["proyectos"][0].pk
    respuestas = [
        Client().get("/api/proyectos/"),
        ClienteAPI(basic("nadie", "x")).leer("/api/proyectos/"),
        api_consulta.enviar("post", "/api/proyectos/", {}),
        api_planificador.leer("/api/proyectos/999999/"),
        api_planificador.leer("/api/proyectos/?etapa=x&limit=y&monto_min=z&bbox=1"),
        api_planificador.leer("/api/concesiones/?termino_desde=ayer&situacion=rara"),
        api_planificador.leer("/api/proyectos/", headers={"Accept": "text/csv"}),
        api_planificador.enviar("post", f"/api/proyectos/{pk}/", {}),
        api_planificador.enviar("post", "/api/proyectos/", "{mal"),
        api_planificador.post(
            "/api/proyectos/",
            "x",
            content_type="text/plain",
            headers={"Authorization": api_planificador.autorizacion},
        ),
        api_planificador.enviar("post", "/api/proyectos/", {}),
        api_planificador.enviar(
            "post",
            "/api/proyectos/",
            {
                "nombre": "x" * 400,
                "tipologia": 3,
                "etapa": None,
                "institucion": "otra",
                "fuente": 99999,
                "monto_solicitado": -1,
                "monto_aprobado": "mucho",
                "codigo_bip": "123",
                "geometry": "punto",
            },
        ),
        api_planificador.enviar(
            "post",
            "/api/concesiones/",
            {
                "activo": "uno",
                "tipo": "arriendo",
                "titular_nombre": "X",
                "titular_rut": "1-1",
                "fecha_inicio": "31-31-2020",
                "canon_clp": 1.5,
            },
        ),
        api_planificador.enviar("patch", f"/api/proyectos/{pk}/", {"version": "tres"}),
    ]
    for respuesta in respuestas:
        assert 400 <= respuesta.status_code < 500
        cuerpo = respuesta.json()
        assert set(cuerpo) >= {"detalle", "errores"}
        for texto in _textos(cuerpo):
            assert not _INGLES.search(texto), (respuesta.status_code, texto)
