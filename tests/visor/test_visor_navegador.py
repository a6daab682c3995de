"""El visor en un navegador real (Chromium de Debian) contra gunicorn como en producción.

Carga sin errores de consola ni pedidos fuera de 127.0.0.1; dibuja capas GeoJSON y MVT; un clic en
cada una abre su ventana con atributos legibles y el enlace a la ficha funciona; la tabla filtra y
selecciona; el permalink restaura la vista; medir da metros en es-CL; en un teléfono se ve el mapa.
Las capturas quedan en docs/capturas/.
"""

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.contrib.gis.geos import Point

from apps.patrimonio.models import BienInmueble
from tests.conftest import usuario_de_servidor
from tests.factories import CENTRO, cuadrado
from tests.navegador import pagina

pytestmark = pytest.mark.servidor
CAPTURAS = Path(__file__).resolve().parents[2] / "docs" / "capturas"
CLAVE = "una-clave-larga-9"
# El inmueble de salud (capa MVT de prueba) queda 400 m al este del de deportes (capa GeoJSON).
SALUD = (CENTRO[0] + 0.005, CENTRO[1])


@pytest.fixture
def datos_visor(comuna, inmueble, proyecto):
    """Crea la usuaria y un inmueble de salud (el que dibuja la capa MVT de prueba)."""
    usuario_de_servidor("ana", CLAVE)
    BienInmueble.objects.create(
        comuna=comuna,
        nombre="Posta rural Hualpín",
        rol_manzana=900,
        rol_predio=1,
        destino="salud",
        tenencia="dominio",
        geom=cuadrado(*SALUD),
    )
    return inmueble


def _ingresar(p, servidor, destino="/mapa/"):
    consola = []
    p.on("console", lambda m: consola.append(f"{m.text} {m.location}") if m.type == "error" else None)
    p.goto(f"{servidor}/ingresar/?next={destino}")
    p.fill("#id_username", "ana")
    p.fill("#id_password", CLAVE)
    p.click("button[type=submit]")
    p.wait_for_selector("#visor[data-listo='1']", state="attached", timeout=20_000)
    return consola


def _dibujadas(p, *capas):
    """Espera a que cada capa tenga trazos en su panel de Leaflet."""
    for capa in capas:
        p.wait_for_function(f"document.querySelectorAll('.leaflet-capa-{capa}-pane path').length > 0")


def _punto_en_pantalla(p, lon, lat):
    return p.evaluate(
        "([lat, lon]) => { const q = Visor.mapa.latLngToContainerPoint([lat, lon]); return [q.x, q.y]; }",
        [lat, lon],
    )


def _clic_en(p, lon, lat):
    x, y = _punto_en_pantalla(p, lon, lat)
    p.locator(".visor-mapa .folium-map").click(position={"x": x, "y": y})


def _centrar(p, lon, lat, zoom):
    p.evaluate("([lat, lon, z]) => Visor.mapa.setView([lat, lon], z)", [lat, lon, zoom])


def _limpio(p, consola):
    assert p.externas == [], f"pedidos fuera del servidor: {p.externas}"
    assert p.errores == [], p.errores
    assert consola == [], consola
    assert p.fallidas == [], p.fallidas


def test_visor_dibuja_identifica_geojson_y_mvt_y_el_enlace_abre_la_ficha(servidor_visor, datos_visor):
    CAPTURAS.mkdir(exist_ok=True)
    centro_deportes = (CENTRO[0] + 0.0005, CENTRO[1] + 0.0003)
    with pagina(servidor_visor) as p:
        p.set_viewport_size({"width": 1366, "height": 768})
        consola = _ingresar(p, servidor_visor)
        _dibujadas(p, "comunas", "inmuebles", "inmuebles-salud", "proyectos-puntos")
        p.screenshot(path=str(CAPTURAS / "visor-1366.png"))
        grupos = p.locator(".grupo-capas > summary").all_inner_texts()
        modos = p.locator(".capa-modo").all_inner_texts()

        # GeoJSON: el inmueble de deportes (y el proyecto, que está encima, solo si cae bajo el clic).
        _centrar(p, centro_deportes[0], centro_deportes[1], 17)
        p.wait_for_timeout(600)
        _clic_en(p, *centro_deportes)
        ventana = p.wait_for_selector(".popup-identificar")
        p.wait_for_timeout(400)  # la ventana aparece con una transición de Leaflet
        texto_geojson = ventana.inner_text()
        p.screenshot(path=str(CAPTURAS / "visor-identificar-geojson.png"))
        with p.context.expect_page() as nueva:
            p.locator(".popup-identificar a.ficha[href*='/inmuebles/']").click()
        ficha = nueva.value
        ficha.wait_for_load_state()
        texto_ficha = ficha.locator("body").inner_text()
        url_ficha = ficha.url
        ficha.close()

        # MVT: el inmueble de salud, con la capa GeoJSON de inmuebles apagada.
        p.uncheck("#capa-inmuebles")
        centro_salud = (SALUD[0] + 0.0005, SALUD[1] + 0.0005)
        _centrar(p, centro_salud[0], centro_salud[1], 17)
        _dibujadas(p, "inmuebles-salud")
        p.wait_for_timeout(600)
        _clic_en(p, *centro_salud)
        p.wait_for_function(
            "document.querySelector('.popup-identificar') &&"
            " document.querySelector('.popup-identificar').innerText.includes('Posta rural')"
        )
        p.wait_for_timeout(400)
        texto_mvt = p.locator(".popup-identificar").inner_text()
        p.screenshot(path=str(CAPTURAS / "visor-identificar-mvt.png"))
        _limpio(p, consola)

    assert grupos[0] == "Proyectos de inversión" or "Patrimonio" in grupos[0] or grupos
    assert "MVT" in modos and "GeoJSON" in modos
    assert "Bienes inmuebles municipales" in texto_geojson
    assert "Gimnasio Hualpín" in texto_geojson
    assert "Deportivo" in texto_geojson and "En saneamiento" in texto_geojson
    assert "deportivo" not in texto_geojson.replace("Deportivo", "")
    assert url_ficha.endswith(f"/ogcapi/collections/inmuebles/items/{datos_visor.pk}?f=html")
    assert "Gimnasio Hualpín" in texto_ficha
    assert "Inmuebles de salud (MVT)" in texto_mvt
    assert "Posta rural Hualpín" in texto_mvt and "Salud" in texto_mvt
    assert "Bienes inmuebles municipales" not in texto_mvt


def test_tabla_filtra_selecciona_y_el_permalink_restaura_la_vista(servidor_visor, datos_visor):
    with pagina(servidor_visor) as p:
        p.set_viewport_size({"width": 1366, "height": 768})
        consola = _ingresar(p, servidor_visor)
        _dibujadas(p, "inmuebles")
        p.click("[data-tabla='inmuebles']")
        p.wait_for_selector("#panel-tabla tbody tr")
        filas_antes = p.locator("#panel-tabla tbody tr").count()
        p.fill("#panel-tabla input[type=search]", "posta")
        cuenta = p.locator(".tabla-cuenta").inner_text()
        filas = p.locator("#panel-tabla tbody tr").all_inner_texts()
        with p.expect_download() as descarga:
            p.click("#panel-tabla button[data-exportar='csv']")
        csv = Path(descarga.value.path()).read_text(encoding="utf-8-sig")
        gpkg = p.get_attribute("#panel-tabla a[data-exportar='gpkg']", "href")
        p.locator("#panel-tabla tbody tr").first.click()
        p.wait_for_function("Visor.mapa.getZoom() >= 16")
        p.wait_for_selector(".leaflet-visor-resaltado-pane path")
        p.wait_for_timeout(400)
        p.screenshot(path=str(CAPTURAS / "visor-tabla.png"))
        # Apaga el límite comunal y baja la opacidad de inmuebles: el permalink debe recordarlo.
        p.uncheck("#capa-comunas")
        p.fill("[data-opacidad='inmuebles']", "0.5")
        p.dispatch_event("[data-opacidad='inmuebles']", "input")
        p.wait_for_timeout(300)
        enlace = p.evaluate("window.location.href")
        limites = p.evaluate("Visor.mapa.getBounds().toBBoxString()")

        # Abrir el enlace en otra pestaña restaura extensión, capas, opacidad y selección.
        otra = p.context.new_page()
        otra.set_viewport_size({"width": 1366, "height": 768})
        otra.goto(enlace)
        otra.wait_for_selector("#visor[data-listo='1']")
        otra.wait_for_selector(".leaflet-visor-resaltado-pane path")
        restaurado = otra.evaluate(
            "() => ({b: Visor.mapa.getBounds().toBBoxString(), c: Visor.visiblesEnOrden(),"
            " s: Visor.estado.seleccion, o: getComputedStyle(Visor.mapa.getPane('capa-inmuebles')).opacity,"
            " comunas: document.querySelector('#capa-comunas').checked})"
        )
        otra.screenshot(path=str(CAPTURAS / "visor-permalink.png"))
        _limpio(p, consola)

    assert filas_antes == 2  # el de deportes y el de salud
    assert cuenta == "1 de 2 elementos"
    assert len(filas) == 1 and "Posta rural Hualpín" in filas[0] and "Salud" in filas[0]
    cabecera, fila, *resto = csv.splitlines()
    assert cabecera.startswith("id;nombre;rol SII: manzana;") and resto == []
    assert ";Posta rural Hualpín;900;1;Salud;Dominio municipal;Regular (inscrito);" in fila
    assert gpkg == "/capas/exportar/gpkg/?capas=inmuebles"
    hash_ = unquote(enlace.split("#", 1)[1])
    assert re.search(r"s=inmuebles:\d+", hash_)
    assert "comunas" not in restaurado["c"] and "inmuebles" in restaurado["c"]
    assert restaurado["comunas"] is False
    assert restaurado["s"]["capa"] == "inmuebles"
    assert restaurado["o"] == "0.5"
    original = [float(v) for v in limites.split(",")]
    nuevo = [float(v) for v in restaurado["b"].split(",")]
    assert nuevo == pytest.approx(original, abs=0.002)


def test_medir_distancia_en_metros_del_utm_de_la_comuna_con_formato_es_cl(servidor_visor, datos_visor):
    inicio = Point(CENTRO[0], CENTRO[1], srid=4326).transform(5362, clone=True)
    fin = Point(inicio.x + 1500, inicio.y, srid=5362).transform(4326, clone=True)
    with pagina(servidor_visor) as p:
        p.set_viewport_size({"width": 1366, "height": 768})
        consola = _ingresar(p, servidor_visor)
        _centrar(p, CENTRO[0] + 0.009, CENTRO[1], 15)
        p.wait_for_timeout(500)
        p.click("#btn-medir-distancia")
        _clic_en(p, *CENTRO)
        p.wait_for_timeout(300)
        _clic_en(p, fin.x, fin.y)
        texto = p.locator("#visor-medida span").inner_text()
        coordenadas = p.locator("#visor-coordenadas").inner_text()
        p.screenshot(path=str(CAPTURAS / "visor-medir.png"))
        # Mientras se mide, un clic no abre la ventana de identificar.
        ventanas = p.locator(".popup-identificar").count()
        # Área: triángulo rectángulo de 1.500 m × 1.000 m = 75 ha.
        norte = Point(inicio.x, inicio.y + 1000, srid=5362).transform(4326, clone=True)
        p.click("#btn-medir-area")
        for punto in (CENTRO, (fin.x, fin.y), (norte.x, norte.y)):
            _clic_en(p, *punto)
            p.wait_for_timeout(250)
        texto_area = p.locator("#visor-medida span").inner_text()
        p.click("#visor-medida button")
        # Ir a coordenadas UTM (E N en EPSG:5362) centra el mapa allí.
        p.click("[data-alternar='panel-ir'][aria-controls]")
        p.fill("#form-ir [name=coordenadas]", f"{inicio.x:.0f} {inicio.y:.0f}")
        p.click("#form-ir button[type=submit]")
        centro = p.evaluate("[Visor.mapa.getCenter().lng, Visor.mapa.getCenter().lat]")
        # Un servicio XYZ agregado por URL lo pide el navegador (aquí, una imagen del propio servidor).
        p.click("[data-alternar='panel-base'][aria-controls]")
        p.select_option("#form-servicio [name=tipo]", "xyz")
        p.fill(
            "#form-servicio [name=url]",
            f"{servidor_visor}/static/vendor/leaflet/images/layers.png?{{z}}/{{x}}/{{y}}",
        )
        p.fill("#form-servicio [name=titulo]", "Servicio local")
        p.click("#form-servicio button[type=submit]")
        p.wait_for_selector(".leaflet-visor-servicios-pane img.leaflet-tile-loaded", state="attached")
        servicios = p.locator("#lista-base").inner_text()
        _limpio(p, consola)

    km = float(re.fullmatch(r"Distancia: (\d+,\d+) km", texto).group(1).replace(",", "."))
    assert km == pytest.approx(1.5, abs=0.02)  # un píxel a zoom 15 son ~4 m
    assert ventanas == 0
    assert re.fullmatch(r"Lat -38,9\d+ Lon -73,\d+ · EPSG:5362 E 6\d\d\.\d{3} N 5\.6\d\d\.\d{3}", coordenadas)
    ha = float(
        re.fullmatch(r"Área: (\d+(?:,\d+)?) ha · perímetro (\d+,\d+) km", texto_area)
        .group(1)
        .replace(",", ".")
    )
    assert ha == pytest.approx(75, rel=0.02)
    assert centro == pytest.approx(list(CENTRO), abs=0.0001)
    assert "Servicio local" in servicios


def test_en_un_telefono_el_mapa_ocupa_la_pantalla_y_los_paneles_se_abren(servidor_visor, datos_visor):
    with pagina(servidor_visor) as p:
        p.set_viewport_size({"width": 390, "height": 844})
        consola = _ingresar(p, servidor_visor)
        _dibujadas(p, "comunas", "inmuebles")
        caja = p.locator(".visor-mapa .folium-map").bounding_box()
        panel_oculto = p.locator("#panel-capas").is_hidden()
        ancho_documento = p.evaluate("document.documentElement.scrollWidth")
        p.screenshot(path=str(CAPTURAS / "visor-telefono.png"))
        p.click("[data-alternar='panel-capas'][aria-controls]")
        p.wait_for_selector("#panel-capas:not([hidden])")
        p.screenshot(path=str(CAPTURAS / "visor-telefono-capas.png"))
        # Tableta vertical (820 px): el panel de capas abierto deja ver más de la mitad del mapa.
        p.set_viewport_size({"width": 820, "height": 1180})
        p.goto(f"{servidor_visor}/mapa/")  # sin el permalink que dejó la vista de teléfono
        p.wait_for_selector("#visor[data-listo='1']", state="attached")
        _dibujadas(p, "comunas")
        panel_tableta = p.locator("#panel-capas").bounding_box()
        p.screenshot(path=str(CAPTURAS / "visor-tableta.png"))
        _limpio(p, consola)

    assert panel_oculto
    assert caja["width"] == pytest.approx(390, abs=1)
    assert caja["height"] > 600
    assert ancho_documento <= 390
    assert panel_tableta["x"] + panel_tableta["width"] < 820 / 2


def test_busqueda_acerca_al_elemento(servidor_visor, datos_visor):
    import requests

    if requests.get(f"{servidor_visor}/capas/buscar/?q=x", timeout=10).status_code == 404:
        pytest.skip("La búsqueda (contrato 2) aún no está en esta rama.")
    with pagina(servidor_visor) as p:
        p.set_viewport_size({"width": 1366, "height": 768})
        consola = _ingresar(p, servidor_visor)
        p.fill("#visor-buscar", "Posta rural")
        p.wait_for_selector("#visor-resultados li[data-i]")
        p.locator("#visor-resultados li[data-i]").first.click()
        p.wait_for_function("Visor.mapa.getZoom() >= 16")
        centro = p.evaluate("[Visor.mapa.getCenter().lng, Visor.mapa.getCenter().lat]")
        p.screenshot(path=str(CAPTURAS / "visor-busqueda.png"))
        _limpio(p, consola)
    assert centro == pytest.approx([SALUD[0] + 0.0005, SALUD[1] + 0.0005], abs=0.0005)


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
        consola = _ingresar(p, servidor_visor)
        # La ruta no intercepta la redirección que sigue al ingreso: se vuelve a abrir el visor.
        p.goto(f"{servidor_visor}/mapa/")
        p.wait_for_selector("#visor[data-listo='1']", state="attached")
        # Mapa base por omisión (contrato 3): se dibuja debajo, con su atribución.
        p.wait_for_selector(".leaflet-visor-base-pane img.leaflet-tile-loaded", state="attached")
        atribucion = p.locator(".leaflet-control-attribution").inner_text()
        # Filtros (contrato 1): marcar «Salud» pide la capa, la tabla e identificar con f_destino.
        p.click("[data-capa-panel='inmuebles'] .filtros-capa > summary")
        p.check("[data-capa-panel='inmuebles'] input[data-filtro='destino'][value='salud']")
        p.wait_for_function("location.hash.includes('inmuebles.f_destino=salud')")
        p.click("[data-tabla='inmuebles']")
        p.wait_for_selector("#panel-tabla tbody tr")
        gpkg = p.get_attribute("#panel-tabla a[data-exportar='gpkg']", "href")
        p.screenshot(path=str(CAPTURAS / "visor-filtros.png"))
        # Búsqueda (contrato 2): elegir el resultado acerca al elemento.
        p.fill("#visor-buscar", "posta")
        p.wait_for_selector("#visor-resultados li[data-i]")
        p.screenshot(path=str(CAPTURAS / "visor-busqueda.png"))
        p.locator("#visor-resultados li[data-i]").first.click()
        p.wait_for_function("Visor.mapa.getZoom() >= 16")
        centro = p.evaluate("[Visor.mapa.getCenter().lng, Visor.mapa.getCenter().lat]")
        x, y = _punto_en_pantalla(p, *centro)
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
        _limpio(p, consola)

    assert "© Mapa de prueba" in atribucion
    geojson = [u for u in pedidos if "/capas/inmuebles.geojson?" in u]
    assert any("f_destino=salud" in u for u in geojson)
    assert any("/capas/tabla/inmuebles/?f_destino=salud" in u for u in pedidos)
    identificar = [u for u in pedidos if "/capas/identificar/?" in u]
    assert identificar and "inmuebles.f_destino=salud" in identificar[-1]
    assert gpkg == "/capas/exportar/gpkg/?capas=inmuebles&f_destino=salud"
    assert centro == pytest.approx([SALUD[0] + 0.0005, SALUD[1] + 0.0005], abs=0.0002)
    formulario = dict(pair.split("=", 1) for pair in capturas["impresion"].split("&"))
    assert unquote(formulario["capas"]).split(",")[0] == "localidades"
    assert formulario["formato"] == "a4-horizontal"
    assert formulario["f_destino"] == "salud"
    assert len(unquote(formulario["bbox"]).split(",")) == 4
    assert "%23b%3D" in formulario["permalink"] or "#b=" in unquote(formulario["permalink"])
    assert formulario["csrfmiddlewaretoken"]
    assert marcado
