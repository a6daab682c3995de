"""La API en gunicorn real (DEBUG apagado, whitenoise): Basic por HTTP y /api/docs con recursos locales."""

import re

import pytest
import requests

from tests.conftest import usuario_de_servidor

pytestmark = pytest.mark.servidor


def test_docs_y_api_en_el_servidor_real(servidor, comuna):
    usuario_de_servidor("ana", "una-clave-larga-9")
    docs = requests.get(f"{servidor}/api/docs/", timeout=10)
    assert docs.status_code == 200
    assert not re.findall(r"https?://", docs.text.replace(servidor, ""))
    recursos = re.findall(r'(?:src|href)="(/static/[^"]+)"', docs.text)
    assert any("swagger-ui-bundle" in r for r in recursos), recursos
    for recurso in recursos:
        respuesta = requests.get(f"{servidor}{recurso}", timeout=10)
        assert respuesta.status_code == 200, recurso
        assert "max-age" in respuesta.headers.get("Cache-Control", ""), recurso
    assert requests.get(f"{servidor}/api/esquema/", timeout=10).text.startswith("openapi: 3.")

    anonimo = requests.get(f"{servidor}/api/proyectos/", timeout=10)
    assert anonimo.status_code == 401 and anonimo.headers["WWW-Authenticate"].startswith("Basic")
    lista = requests.get(f"{servidor}/api/proyectos/", auth=("ana", "una-clave-larga-9"), timeout=10)
    assert lista.status_code == 200 and lista.json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_docs_en_chromium_sin_peticiones_externas(servidor, comuna):
    from tests.navegador import pagina

    with pagina(servidor) as p:
        p.goto(f"{servidor}/api/docs/")
        p.get_by_text("Lista proyectos").first.wait_for(timeout=20000)
        assert p.get_by_text("API de Territorio").first.is_visible()
        assert p.externas == [] and p.errores == [] and p.fallidas == []
