"""Estilos: una definición da el estilo Leaflet, la leyenda y un QML que QGIS entiende."""

import defusedxml.ElementTree as ET
import pytest

from capas.estilos import Estilo, Simbolo, tipo_simbolo
from capas.registro import registro


def test_estilo_categorizado_da_leaflet_leyenda_y_qml_coherentes():
    estilo = Estilo.categorizado("etapa", [("idea", "Idea"), ("diseno", "Diseño")])
    leaflet = estilo.leaflet()
    assert leaflet["campo"] == "etapa"
    assert leaflet["categorias"]["idea"]["fillColor"] == "#1f77b4"
    assert [e["etiqueta"] for e in estilo.leyenda()] == ["Idea", "Diseño"]
    qml = ET.fromstring(estilo.qml("MultiPolygon").split("\n", 1)[1])
    renderer = qml.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "etapa"
    categorias = [(c.get("value"), c.get("label")) for c in renderer.iter("category")]
    assert categorias == [("idea", "Idea"), ("diseno", "Diseño")]
    relleno = renderer.find("symbols/symbol[@name='0']/layer/Option/Option[@name='color']")
    assert relleno.get("value") == "31,119,180,89"  # #1f77b4 con opacidad 0,35


def test_simbolo_unico_por_tipo_de_geometria():
    estilo = Estilo(simbolo=Simbolo(relleno="#ff0000", borde="#000000", radio=4))
    punto = ET.fromstring(estilo.qml("MultiPoint").split("\n", 1)[1])
    capa = punto.find("renderer-v2/symbols/symbol/layer")
    assert capa.get("class") == "SimpleMarker"
    assert capa.find("Option/Option[@name='size']").get("value") == "2.117"  # 8 px en mm
    linea = ET.fromstring(estilo.qml("LineString").split("\n", 1)[1])
    assert linea.find("renderer-v2/symbols/symbol").get("type") == "line"


def test_capas_de_lineas_colorean_el_trazo_por_categoria():
    estilo = Estilo.categorizado("etapa", [("idea", "Idea")], lineas=True)
    assert estilo.leaflet()["categorias"]["idea"]["color"] == "#1f77b4"


def test_tipo_sin_simbolo_se_rechaza():
    with pytest.raises(ValueError):
        tipo_simbolo("GeometryCollection")


def test_todas_las_capas_declaradas_producen_qml_valido(db):
    for capa in registro.todas(todas=True):
        ET.fromstring(capa.estilo.qml(capa.tipo_geometria).split("\n", 1)[1])
