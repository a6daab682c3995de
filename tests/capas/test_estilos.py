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


CORTES = (0, 100_000_000, 500_000_000)


def test_estilo_graduado_da_rangos_leyenda_es_cl_y_qml_coherentes():
    estilo = Estilo.graduado("inversion", CORTES, ("#ffffb2", "#fd8d3c", "#bd0026"))
    leaflet = estilo.leaflet()
    assert leaflet["campo"] == "inversion" and leaflet["categorias"] == {}
    assert [(r["min"], r["max"], r["estilo"]["fillColor"]) for r in leaflet["rangos"]] == [
        (0, 100_000_000, "#ffffb2"),
        (100_000_000, 500_000_000, "#fd8d3c"),
        (500_000_000, None, "#bd0026"),
    ]
    assert [e["etiqueta"] for e in estilo.leyenda()] == [
        "$ 0 – $ 99.999.999",
        "$ 100.000.000 – $ 499.999.999",
        "$ 500.000.000 o más",
    ]
    renderer = ET.fromstring(estilo.qml("MultiPolygon").split("\n", 1)[1]).find("renderer-v2")
    assert renderer.get("type") == "graduatedSymbol" and renderer.get("attr") == "inversion"
    rangos = [(r.get("lower"), r.get("upper"), r.get("label")) for r in renderer.iter("range")]
    assert rangos == [
        ("0", "99999999", "$ 0 – $ 99.999.999"),
        ("99999999", "499999999", "$ 100.000.000 – $ 499.999.999"),
        ("499999999", "1000000000000000", "$ 500.000.000 o más"),
    ]


def test_estilo_graduado_rechaza_cortes_desordenados_o_paleta_corta():
    with pytest.raises(ValueError):
        Estilo.graduado("x", (10, 5))
    with pytest.raises(ValueError):
        Estilo.graduado("x", (0, 1, 2), ("#000000",))


def test_los_otros_estilos_no_traen_rangos():
    assert Estilo().leaflet()["rangos"] == []
    assert Estilo.categorizado("etapa", [("idea", "Idea")]).leaflet()["rangos"] == []


def test_proyectos_por_etapa_tiene_la_leyenda_de_las_etapas(db):
    from apps.proyectos.choices import Etapa

    for nombre in ("proyectos-puntos", "proyectos-lineas", "proyectos-areas"):
        estilo = registro.obtener(nombre, todas=True).estilo
        assert estilo.campo == "etapa"
        assert [e["etiqueta"] for e in estilo.leyenda()] == [
            "Idea",
            "Perfil",
            "Prefactibilidad",
            "Factibilidad",
            "Diseño",
            "Ejecución",
            "Operación",
        ]
        assert [e["etiqueta"] for e in estilo.leyenda()] == [str(e) for e in Etapa.labels]


def test_qgis_clasifica_como_el_visor_con_el_qml_graduado():
    from tests.qgis import ejecutar_pyqgis

    estilo = Estilo.graduado("inversion", CORTES, ("#ffffb2", "#fd8d3c", "#bd0026"))
    resultado = ejecutar_pyqgis(
        """
        from qgis.core import QgsFeature, QgsRenderContext, QgsVectorLayer
        from qgis.PyQt.QtXml import QDomDocument
        capa = QgsVectorLayer("Polygon?crs=EPSG:4326&field=inversion:long", "t", "memory")
        documento = QDomDocument()
        documento.setContent(parametros["qml"])
        mensaje = capa.importNamedStyle(documento)
        renderer = capa.renderer()
        contexto = QgsRenderContext()
        renderer.startRender(contexto, capa.fields())
        colores = {}
        for valor in parametros["valores"]:
            elemento = QgsFeature(capa.fields())
            elemento.setAttribute("inversion", valor)
            simbolo = renderer.symbolForFeature(elemento, contexto)
            colores[str(valor)] = simbolo.color().name() if simbolo else None
        renderer.stopRender(contexto)
        resultado = {
            "tipo": renderer.type(),
            "etiquetas": [r.label() for r in renderer.ranges()],
            "colores": colores,
            "importado": list(mensaje) if isinstance(mensaje, tuple) else mensaje,
        }
        """,
        qml=estilo.qml("MultiPolygon"),
        valores=[0, 99_999_999, 100_000_000, 499_999_999, 500_000_000, 7_000_000_000],
    )
    assert resultado["tipo"] == "graduatedSymbol"
    assert resultado["etiquetas"] == [e["etiqueta"] for e in estilo.leyenda()]
    # Cada valor cae en la misma clase que en el visor (min <= v < max).
    assert resultado["colores"] == {
        "0": "#ffffb2",
        "99999999": "#ffffb2",
        "100000000": "#fd8d3c",
        "499999999": "#fd8d3c",
        "500000000": "#bd0026",
        "7000000000": "#bd0026",
    }
    assert resultado["avisos"] == []
