"""Mapas de folium sin CDN: cada <script> y <link> apunta a un estático local que existe y se sirve."""

import re

import folium
import pytest
import requests
from django.conf import settings
from django.contrib.staticfiles import finders
from folium import plugins

from capas.mapas.activos import RECURSOS, clases_con_recursos, escala_lineal

_RE_RECURSO = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', re.IGNORECASE)


def mapa_con_todo() -> str:
    """Dibuja un mapa con cada complemento que Territorio sirve localmente y una escala de colores."""
    mapa = folium.Map(location=[-38.99, -73.1], zoom_start=11, tiles=None)
    plugins.Fullscreen().add_to(mapa)
    plugins.MeasureControl().add_to(mapa)
    plugins.LocateControl().add_to(mapa)
    plugins.Draw().add_to(mapa)
    plugins.MiniMap(tile_layer=folium.TileLayer("/teselas/{z}/{x}/{y}.png", attr="Territorio")).add_to(mapa)
    cumulo = plugins.MarkerCluster().add_to(mapa)
    folium.Marker([-38.99, -73.1], icon=folium.Icon(icon="info", prefix="fa")).add_to(cumulo)
    plugins.TreeLayerControl(overlay_tree={"label": "Capas", "children": []}).add_to(mapa)
    plugins.VectorGridProtobuf("/tiles/proyectos/{z}/{x}/{y}.pbf", "proyectos").add_to(mapa)
    escala_lineal(["#ffffcc", "#006837"], vmin=0, vmax=100, caption="Inversión").add_to(mapa)
    return mapa.get_root().render()


def recursos_de(html: str) -> list[str]:
    """Devuelve las URL de los <script src> y <link href> de la página."""
    return _RE_RECURSO.findall(html)


def test_cada_clase_de_folium_que_usamos_tiene_solo_recursos_locales():
    for clase in clases_con_recursos():
        for _nombre, url in [*clase.default_js, *clase.default_css]:
            assert not re.match(r"(https?:)?//", str(url)), (clase.__name__, url)
    # Listas propias de cada clase: no la lista compartida de su base (JSCSSMixin).
    assert plugins.Fullscreen.default_js is not plugins.Draw.default_js


def test_el_mapa_con_todos_los_complementos_no_pide_nada_fuera_del_sitio():
    recursos = recursos_de(mapa_con_todo())
    # Leaflet, jQuery, Bootstrap, Font Awesome, AwesomeMarkers, cada complemento y d3 de la escala.
    assert len(recursos) >= 2 * len(RECURSOS) + 6
    for url in recursos:
        assert not re.match(r"(https?:)?//", url), url
        assert url.startswith(f"{settings.STATIC_URL}vendor/"), url
        archivo = finders.find(url.removeprefix(f"{settings.STATIC_URL}"))
        assert archivo is not None and open(archivo, "rb").read(1), url
    assert f"{settings.STATIC_URL}vendor/d3/d3.min.js" in recursos


@pytest.mark.servidor
def test_el_servidor_de_produccion_entrega_leaflet_y_los_complementos(servidor):
    for url in sorted(set(recursos_de(mapa_con_todo()))):
        respuesta = requests.get(f"{servidor}{url}", timeout=10)
        assert respuesta.status_code == 200, url
        assert len(respuesta.content) > 100, url
    # Las fuentes que pide el CSS de Font Awesome (url(../webfonts/…)) también están.
    css = requests.get(f"{servidor}{settings.STATIC_URL}vendor/fontawesome/css/all.min.css", timeout=10).text
    fuente = re.search(r"url\(\.\./webfonts/([^)?#]+)\)", css).group(1)
    assert (
        requests.get(f"{servidor}{settings.STATIC_URL}vendor/fontawesome/webfonts/{fuente}").status_code
        == 200
    )
