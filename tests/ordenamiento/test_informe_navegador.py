"""Informe de superposición en un navegador real (Chromium de Debian) contra gunicorn como en producción.

Una planificadora parte del visor («Analizar un polígono aquí»), dibuja el polígono del escenario,
elige el uso y ve el informe (veredicto, zonas, restricciones sin doble conteo); otra persona pega
el GeoJSON en vez de dibujar; en un teléfono el informe se lee sin desbordarse. Capturas en la
carpeta de capturas (docs/capturas con TERRITORIO_CAPTURAS=1).
"""

import json

import pytest

from tests.edicion.conftest import clic_mapa, entrar, mapa_listo, usuarios
from tests.factories.informe import escenario_informe
from tests.navegador import CAPTURAS, pagina
from tests.visor.conftest import limpio

pytestmark = pytest.mark.servidor
ESCRITORIO = {"width": 1366, "height": 768}
TELEFONO = {"width": 390, "height": 844}


def _esquinas(poligono) -> list[tuple[float, float]]:
    """Devuelve las cuatro esquinas (lon, lat) del rectángulo analizado."""
    return [tuple(c) for c in poligono[0][0][:4]]


def test_planificadora_analiza_desde_el_visor_dibujando_el_poligono(servidor, comuna):
    usuarios()
    poligono = escenario_informe(comuna)
    centro = poligono.centroid
    with pagina(servidor) as p:
        p.set_viewport_size(ESCRITORIO)
        consola = entrar(p, servidor, "ana", "/mapa/")
        p.wait_for_selector("#visor[data-listo='1']", state="attached", timeout=20_000)
        p.evaluate(
            "([lat, lon]) => Visor.mapa.setView([lat, lon], 17, {animate: false})", [centro.y, centro.x]
        )
        p.wait_for_timeout(300)
        with p.expect_navigation():
            p.click("#btn-analizar-poligono")
        url = p.url
        mapa_listo(p, "id_geometria")
        zoom = p.evaluate("Dibujo.mapa.getZoom()")
        p.get_by_role("button", name="Agregar polígono").click()
        for lon, lat in _esquinas(poligono):
            clic_mapa(p, lon, lat, "id_geometria")
        clic_mapa(p, *_esquinas(poligono)[0], "id_geometria")
        medida = p.inner_text("#dibujo-medida")
        p.select_option("#id_uso", "residencial")
        p.screenshot(path=str(CAPTURAS / "informe-dibujo.png"))
        with p.expect_navigation():
            p.click("#btn-analizar")
        p.wait_for_selector("#minimapa .leaflet-container", timeout=20_000)
        mapa_listo(p, "id_geometria")
        p.wait_for_timeout(800)
        veredicto = p.inner_text("#veredicto")
        area = p.inner_text("#informe-area")
        restricciones = p.inner_text("#tabla-restricciones")
        zonas = p.inner_text("#tabla-zonas")
        capas_mapa = p.evaluate("document.querySelectorAll('#minimapa path.leaflet-interactive').length")
        p.screenshot(path=str(CAPTURAS / "informe-1366.png"), full_page=True)
        p.set_viewport_size(TELEFONO)
        p.wait_for_timeout(500)
        desborde = p.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        p.locator("#informe").screenshot(path=str(CAPTURAS / "informe-telefono.png"))
        limpio(p, consola)
    assert "/ordenamiento/analisis/?centro=" in url and zoom == 17
    assert (
        medida.startswith("Área: 2,00 ha")
        or medida.startswith("Área: 1,99 ha")
        or medida.startswith("Área: 2,01 ha")
    )
    assert "Prohibido" in veredicto and "«Residencial»" in veredicto
    # Dibujado a mano (± un píxel por vértice): el área queda a menos de 1 % de 20.000 m².
    m2 = int(area.split(" m²")[0].replace(".", ""))
    assert abs(m2 - 20_000) < 200
    assert "Humedal (Ley 21.202)" in restricciones and "Riesgo de inundación" in restricciones
    assert "ZU-1" in zonas and "ZR-2" in zonas
    assert capas_mapa >= 4  # el polígono y las capas de restricción que toca
    assert desborde <= 0, "en el teléfono la página no se desborda hacia el lado"


def test_geojson_pegado_se_ve_en_el_mapa_y_se_analiza(servidor, comuna):
    usuarios()
    poligono = escenario_informe(comuna)
    with pagina(servidor) as p:
        p.set_viewport_size(ESCRITORIO)
        consola = entrar(p, servidor, "concejal", "/ordenamiento/analisis/")
        mapa_listo(p, "id_geometria")
        feature = {"type": "Feature", "properties": {}, "geometry": json.loads(poligono.geojson)}
        p.fill("#id_pegado", json.dumps(feature))
        p.dispatch_event("#id_pegado", "change")
        estado = p.inner_text("#pegado-estado")
        oculto = json.loads(p.input_value("#id_geometria"))
        pegado = p.input_value("#id_pegado")
        with p.expect_navigation():
            p.click("#btn-analizar")
        p.wait_for_selector("#veredicto")
        veredicto = p.inner_text("#veredicto")
        area = p.inner_text("#informe-area")
        limpio(p, consola)
    assert estado.startswith("Se cargó en el mapa: Área: 2,00 ha")
    assert oculto["type"] == "MultiPolygon" and pegado == ""
    assert "Sin uso propuesto" in veredicto
    assert area.startswith("20.000 m²")
