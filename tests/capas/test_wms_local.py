"""El WMS local de las pruebas (MapServer de Debian como CGI) responde como un WMS real."""

import requests
from owslib.wms import WebMapService

from tests.wms import COLOR_ZONAS, cuantos_del_color


def test_getcapabilities_anuncia_la_capa_de_zonas_en_3857(wms):
    servicio = WebMapService(wms.url, version="1.1.1", timeout=30)
    assert servicio.identification.title == "Territorio: WMS de prueba"
    assert "zonas" in servicio.contents
    assert servicio["zonas"].title == "Zonas de prueba"
    assert "EPSG:3857" in servicio["zonas"].crsOptions
    assert any("GetCapabilities" in p for p in wms.peticiones)


def test_getmap_dibuja_la_zona_con_el_color_del_mapfile(wms):
    # Un cuadro de Web Mercator centrado en Teodoro Schmidt, dentro de la zona de prueba.
    parametros = {
        "SERVICE": "WMS",
        "VERSION": "1.1.1",
        "REQUEST": "GetMap",
        "LAYERS": "zonas",
        "STYLES": "",
        "SRS": "EPSG:3857",
        "BBOX": "-8140000,-4725000,-8110000,-4705000",
        "WIDTH": "64",
        "HEIGHT": "64",
        "FORMAT": "image/png",
        "TRANSPARENT": "TRUE",
    }
    respuesta = requests.get(wms.url, params=parametros, timeout=30)
    assert respuesta.status_code == 200
    assert respuesta.headers["Content-Type"] == "image/png"
    assert cuantos_del_color(respuesta.content, COLOR_ZONAS) == 64 * 64
    # Fuera de la zona (al norte) la imagen es transparente: no hay ningún píxel de ese color.
    parametros["BBOX"] = "-8140000,-4600000,-8110000,-4580000"
    lejos = requests.get(wms.url, params=parametros, timeout=30)
    assert lejos.headers["Content-Type"] == "image/png"
    assert cuantos_del_color(lejos.content, COLOR_ZONAS) == 0
