"""La página del visor: capas en el orden del registro, modo, recursos locales y enlaces de entrada."""

import json
import re

import pytest

from apps.visor.selectors import encuadre_del_visor
from capas.mapas import visor
from capas.registro import registro

pytestmark = pytest.mark.django_db
_RE_RECURSO = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', re.IGNORECASE)


def _configuracion(html: str) -> dict:
    return json.loads(re.search(r'id="visor-configuracion"[^>]*>(.*?)</script>', html, re.S).group(1))


def test_el_visor_lista_las_capas_del_usuario_en_orden_del_registro(client, planificador, comuna, inmueble):
    client.force_login(planificador)
    respuesta = client.get("/mapa/")
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    conf = _configuracion(html)
    assert [c["nombre"] for c in conf["capas"]] == [c.nombre for c in registro.para_visor(planificador)]
    por_nombre = {c["nombre"]: c for c in conf["capas"]}
    assert por_nombre["inmuebles"]["modo"] == "geojson"
    assert por_nombre["inmuebles"]["visible"] is True
    assert por_nombre["inmuebles"]["extension"] == pytest.approx(list(inmueble.geom.extent))
    assert por_nombre["inmuebles"]["tabla"] == "/capas/tabla/inmuebles/"
    assert por_nombre["comunas"]["leyenda"][0]["estilo"]["color"] == "#1f4e5f"
    assert conf["srid_metrico"] == 5362
    assert "+proj=utm +zone=18 +south" in conf["proj4"]
    assert conf["extension"] == pytest.approx(list(comuna.limite.extent))
    assert conf["urls"]["identificar"] == "/capas/identificar/"
    # Lo que aún no existe en el servidor no se ofrece (sin búsqueda ni impresión → sin botón).
    assert conf["urls"]["buscar"] in (None, "/capas/buscar/")
    for url in _RE_RECURSO.findall(html):
        assert not re.match(r"(https?:)?//", url), url
    assert "vendor/vectorgrid/Leaflet.VectorGrid.bundled.min.js" in html
    assert "vendor/proj4/proj4.js" in html
    assert "js/visor/identificar.js" in html
    assert "Comuna de Teodoro Schmidt" in conf["titulo"]


def test_el_anonimo_va_al_ingreso_y_el_inicio_lleva_al_visor(client, planificador, comuna):
    assert client.get("/mapa/").status_code == 302
    client.force_login(planificador)
    inicio = client.get("/").content.decode()
    assert '<a class="nav-link" href="/mapa/">Mapa</a>' in inicio
    assert '<a class="btn btn-primary btn-sm" href="/mapa/">Abrir el mapa de la comuna</a>' in inicio


def test_las_capas_de_referencia_abren_apagadas_y_debajo(planificador, comuna):
    from tests.factories import CapaReferenciaFactory

    CapaReferenciaFactory(nombre="humedales", titulo="Humedales", categoria="humedal")
    encuadre, _ = encuadre_del_visor()
    capas = visor.configuracion(planificador, encuadre)["capas"]
    assert capas[-1]["nombre"] == "humedales"
    assert capas[-1]["visible"] is False
    assert all(c["origen"] == "dominio" for c in capas[:-1])


def test_sin_comuna_cargada_el_visor_abre_sobre_chile_y_avisa(client, planificador):
    client.force_login(planificador)
    html = client.get("/mapa/").content.decode()
    assert "Aún no se carga la comuna" in html
    conf = _configuracion(html)
    assert conf["extension"] == [-75.7, -56.0, -66.4, -17.5]
    assert conf["srid_metrico"] == 5361  # huso 19 sur, el del centro de Chile
