"""El visor en el navegador cumple, del lado del cliente, los contratos de las otras partes.

La configuración de la página se completa en el camino (page.route) con lo que darán filtros,
búsqueda, mapas base e impresión según sus contratos; así se prueba el visor antes de integrarlas.
"""

import json
import re
from urllib.parse import unquote

import pytest

from apps.patrimonio.models import BienInmueble
from tests.navegador import CAPTURAS, pagina
from tests.visor.conftest import SALUD, ingresar, limpio, punto_en_pantalla

pytestmark = pytest.mark.servidor


def _con_contratos(servidor, capturas):
    """Devuelve un manejador de ruta que agrega a la configuración del visor lo que darán las otras
    partes según sus contratos: filtros (1), búsqueda (2), un mapa base (3) e impresión (4)."""

    def manejar(route):
        respuesta = route.fetch()
        html = respuesta.text()
        m = re.search(
            r'(<script id="visor-configuracion" type="application/json">)(.*?)(</script>)', html, re.S
        )
        conf = json.loads(m.group(2))
        for capa in conf["capas"]:
            if capa["nombre"] == "inmuebles":
                capa["filtros"] = [
                    {
                        "nombre": "destino",
                        "titulo": "Destino",
                        "tipo": "opciones",
                        "opciones": [["salud", "Salud"], ["deportivo", "Deportivo"]],
                    },
                    {"nombre": "superficie", "titulo": "Superficie (m²)", "tipo": "rango", "opciones": []},
                ]
        conf["urls"]["buscar"] = "/capas/buscar/"
        conf["urls"]["imprimir"] = "/capas/imprimir/"
        conf["mapas_base"] = [
            {
                "nombre": "local",
                "titulo": "Mapa local",
                "tipo": "xyz",
                "url": f"{servidor}/static/vendor/leaflet/images/layers.png?{{z}}/{{x}}/{{y}}",
                "capas": "",
                "formato": "image/png",
                "transparente": False,
                "atribucion": "© Mapa de prueba",
                "por_omision": True,
            }
        ]
        texto = json.dumps(conf, ensure_ascii=False).replace("<", "\\u003c")
        route.fulfill(response=respuesta, body=html[: m.start(2)] + texto + html[m.end(2) :])

    def buscar(route):
        route.fulfill(json={"resultados": [capturas["resultado"]]})

    def imprimir(route):
        capturas["impresion"] = route.request.post_data
        route.fulfill(
            status=200, body="<html><body>Trabajo de impresión</body></html>", content_type="text/html"
        )

    return manejar, buscar, imprimir


def test_el_cliente_cumple_los_contratos_de_filtros_busqueda_mapas_base_e_impresion(
    servidor_visor, datos_visor
):
    salud = BienInmueble.objects.get(destino="salud")
    capturas = {
        "resultado": {
            "capa": "inmuebles",
            "titulo_capa": "Bienes inmuebles municipales",
            "id": salud.pk,
            "etiqueta": "Posta rural Hualpín",
            "bbox": list(salud.geom.extent),
        },
    }
    manejar, buscar, imprimir = _con_contratos(servidor_visor, capturas)
    pedidos = []
    with pagina(servidor_visor) as p:
        p.set_viewport_size({"width": 1366, "height": 768})
        p.route(re.compile(r"^http://[^/]+/mapa/$"), manejar)
        p.route(re.compile(r"^http://[^/]+/capas/buscar/\?.*"), buscar)
        p.route(re.compile(r"^http://[^/]+/capas/imprimir/$"), imprimir)
        p.on("request", lambda r: pedidos.append(unquote(r.url)))
        consola = ingresar(p, servidor_visor)
        # La ruta no intercepta la redirección que sigue al ingreso: se vuelve a abrir el visor.
        p.goto(f"{servidor_visor}/mapa/")
        p.wait_for_selector("#visor[data-listo='1']", state="attached")
        # Mapa base por omisión (contrato 3): se dibuja debajo, con su atribución.
        p.wait_for_selector(".leaflet-visor-base-pane img.leaflet-tile-loaded", state="attached")
        atribucion = p.locator(".leaflet-control-attribution").inner_text()
        # «Sin mapa base» lo quita (y las capturas siguientes quedan sin el mosaico de prueba).
        p.click("[data-alternar='panel-base'][aria-controls]")
        p.check("#lista-base input[name=base][value='']")
        sin_base = p.locator(".leaflet-visor-base-pane img").count()
        p.click("[data-alternar='panel-base'][aria-controls]")
        # Filtros (contrato 1): marcar «Salud» pide la capa, la tabla e identificar con f_destino.
        p.click("[data-capa-panel='inmuebles'] .filtros-capa > summary")
        p.check("[data-capa-panel='inmuebles'] input[data-filtro='destino'][value='salud']")
        p.wait_for_function("location.hash.includes('inmuebles.f_destino=salud')")
        p.locator("[data-capa-panel='inmuebles']").scroll_into_view_if_needed()
        p.screenshot(path=str(CAPTURAS / "visor-filtros.png"))
        p.click("[data-tabla='inmuebles']")
        p.wait_for_selector("#panel-tabla tbody tr")
        gpkg = p.get_attribute("#panel-tabla a[data-exportar='gpkg']", "href")
        # Búsqueda (contrato 2): elegir el resultado acerca al elemento.
        p.fill("#visor-buscar", "posta")
        p.wait_for_selector("#visor-resultados li[data-i]")
        p.screenshot(path=str(CAPTURAS / "visor-busqueda.png"))
        p.locator("#visor-resultados li[data-i]").first.click()
        p.wait_for_function("Visor.mapa.getZoom() >= 16")
        # El elemento queda a la vista: a la derecha del panel de capas y dentro del mapa.
        x, y = punto_en_pantalla(p, SALUD[0] + 0.0005, SALUD[1] + 0.0005)
        borde_panel = p.evaluate("document.getElementById('panel-capas').getBoundingClientRect().right")
        alto_mapa = p.evaluate("Visor.mapa.getSize().y")
        p.locator(".visor-mapa .folium-map").click(position={"x": x, "y": y})
        p.wait_for_selector(".popup-identificar")
        enlace = p.evaluate("location.href")
        # Impresión (contrato 4): POST con título, extensión, capas de arriba abajo, permalink y f_*.
        p.click("#btn-imprimir")
        p.wait_for_url(re.compile(r".*/capas/imprimir/$"))
        # El permalink restaura el filtro marcado.
        p.goto(enlace)
        p.wait_for_selector("#visor[data-listo='1']", state="attached")
        marcado = p.is_checked("[data-capa-panel='inmuebles'] input[data-filtro='destino'][value='salud']")
        limpio(p, consola)

    assert "© Mapa de prueba" in atribucion
    assert sin_base == 0
    geojson = [u for u in pedidos if "/capas/inmuebles.geojson?" in u]
    assert any("f_destino=salud" in u for u in geojson)
    assert any("/capas/tabla/inmuebles/?f_destino=salud" in u for u in pedidos)
    identificar = [u for u in pedidos if "/capas/identificar/?" in u]
    assert identificar and "inmuebles.f_destino=salud" in identificar[-1]
    assert gpkg == "/capas/exportar/gpkg/?capas=inmuebles&f_destino=salud"
    assert x > borde_panel and 0 < y < alto_mapa
    formulario = dict(pair.split("=", 1) for pair in capturas["impresion"].split("&"))
    assert unquote(formulario["capas"]).split(",")[0] == "localidades"
    assert formulario["formato"] == "a4-horizontal"
    assert formulario["f_destino"] == "salud"
    assert len(unquote(formulario["bbox"]).split(",")) == 4
    assert "%23b%3D" in formulario["permalink"] or "#b=" in unquote(formulario["permalink"])
    assert formulario["csrfmiddlewaretoken"]
    assert marcado
