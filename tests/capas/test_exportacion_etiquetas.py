"""Etiquetas, no códigos: QGIS muestra «Servicio público» y el nombre de la fuente al abrir el
GeoPackage y el proyecto; CSV, KML y Shapefile llevan las etiquetas; GeoJSON, los valores."""

import csv
import io
import zipfile

import pyogrio
import pytest
from defusedxml import ElementTree

from apps.proyectos.models import Proyecto
from capas.exportacion.qgis_proyecto import id_capa
from capas.exportacion.servicios import exportar
from capas.registro import registro
from tests.capas.test_exportacion_datos import CAPA_CIUDADES, filas_de_bd
from tests.qgis import ejecutar_pyqgis

CAPA = "proyectos-puntos"
CAMPOS = ["institucion", "fuente", "etapa", "codigo_bip", "es_demo"]

# Lo que QGIS muestra de cada campo: el valor representado por el formateador de su widget (el
# mismo que usan la tabla de atributos, el formulario e «Identificar»), su widget y su alias.
MOSTRAR = """
from qgis.core import QgsApplication

def mostrar(capa, campos):
    formateadores = QgsApplication.fieldFormatterRegistry()
    info = {"widgets": {}, "alias": {}, "filas": {}}
    for campo in campos:
        i = capa.fields().indexOf(campo)
        info["widgets"][campo] = capa.editorWidgetSetup(i).type()
        info["alias"][campo] = capa.attributeDisplayName(i)
    for elemento in capa.getFeatures():
        fila = {}
        for campo in campos:
            i = capa.fields().indexOf(campo)
            ajuste = capa.editorWidgetSetup(i)
            formateador = formateadores.fieldFormatter(ajuste.type())
            valor = elemento[campo]
            fila[campo] = None if valor is None else formateador.representValue(
                capa, i, ajuste.config(), None, valor
            )
        info["filas"][elemento.id()] = fila
    return info
"""

GUION_GPKG = (
    MOSTRAR
    + """
from qgis.core import QgsVectorLayer
capa = QgsVectorLayer(f"{parametros['gpkg']}|layername={parametros['capa']}", "x", "ogr")
resultado = mostrar(capa, parametros["campos"])
"""
)

GUION_PROYECTO = (
    MOSTRAR
    + """
from qgis.core import QgsProject
proyecto = QgsProject.instance()
resultado = {"leido": proyecto.read(parametros["proyecto"]), "crs": proyecto.crs().authid()}
resultado["unidades"] = QgsUnitTypes.toString(proyecto.crs().mapUnits())
raiz = proyecto.layerTreeRoot()
resultado["orden"] = [c.id() for c in raiz.layerOrder()]
resultado["orden_propio"] = raiz.hasCustomLayerOrder()
resultado["encendidas"] = {n.layerId(): n.isVisible() for n in raiz.findLayers()}
resultado["grupos"] = [g.name() for g in raiz.children()]
resultado["capa"] = mostrar(proyecto.mapLayer(parametros["id"]), parametros["campos"])
resultado["crs_capa"] = proyecto.mapLayer(parametros["id"]).crs().authid()
extension = proyecto.viewSettings().defaultViewExtent()
resultado["vista"] = [extension.xMinimum(), extension.yMinimum(), extension.xMaximum(), extension.yMaximum()]
""".replace("from qgis.core import QgsProject", "from qgis.core import QgsProject, QgsUnitTypes")
)


def _etiquetas_en_bd() -> dict[int, dict]:
    """Devuelve {pk: etiquetas} de los proyectos puntuales según Django (choices y FK)."""
    pks = sorted(filas_de_bd(CAPA))
    return {
        p.pk: {
            "institucion": p.get_institucion_display(),
            "fuente": p.fuente.nombre if p.fuente else None,
            "etapa": p.get_etapa_display(),
            "codigo_bip": p.codigo_bip,
            "es_demo": "Sí" if p.es_demo else "No",
        }
        for p in Proyecto.objects.filter(pk__in=pks).select_related("fuente")
    }


@pytest.fixture
def esperado(datos):
    """Devuelve las etiquetas que una persona debe leer; verifica que la demo las ejercite."""
    etiquetas = _etiquetas_en_bd()
    vistas = list(etiquetas.values())
    assert "Servicio público" in {e["institucion"] for e in vistas}
    assert any(e["fuente"] for e in vistas)
    return etiquetas


@pytest.mark.qgis
def test_qgis_muestra_etiquetas_del_gpkg_con_mapas_de_valores(esperado, tmp_path):
    ruta = exportar(capas=[CAPA], formato="gpkg", salida=tmp_path / "p.gpkg", todas=True).ruta
    # El archivo guarda los valores: la etiqueta la pone QGIS.
    meta, _f, _g, valores = pyogrio.raw.read(ruta, layer=CAPA)
    assert "servicio_publico" in list(valores[meta["fields"].tolist().index("institucion")])
    resultado = ejecutar_pyqgis(GUION_GPKG, gpkg=str(ruta), capa=CAPA, campos=CAMPOS)
    assert resultado["avisos"] == []
    assert resultado["widgets"] == {
        "institucion": "ValueMap",
        "fuente": "ValueMap",
        "etapa": "ValueMap",
        "codigo_bip": "",
        "es_demo": "ValueMap",
    }
    assert resultado["alias"] == {
        "institucion": "Institución",
        "fuente": "Fuente de financiamiento",
        "etapa": "Etapa",
        "codigo_bip": "Código BIP",
        "es_demo": "Dato de demostración",
    }
    assert {int(k): v for k, v in resultado["filas"].items()} == esperado
    # Una capa importada: sus sí/no también se leen «Sí»/«No» (Temuco es capital regional).
    ruta = exportar(capas=[CAPA_CIUDADES], formato="gpkg", salida=tmp_path / "c.gpkg", todas=True).ruta
    campos = ["NAME_ES", "capital"]
    ciudades = ejecutar_pyqgis(GUION_GPKG, gpkg=str(ruta), capa=CAPA_CIUDADES, campos=campos)
    capitales = {f["NAME_ES"]: f["capital"] for f in ciudades["filas"].values()}
    assert capitales["Temuco"] == "Sí" and capitales["Angol"] == "No"
    assert set(capitales.values()) == {"Sí", "No"}


@pytest.mark.qgis
def test_proyecto_qgis_en_src_metrico_con_orden_y_visibilidad_del_visor(esperado, datos, comuna, tmp_path):
    ruta = exportar(capas=None, formato="qgis", salida=tmp_path / "t.qgs", todas=True).ruta
    capa = registro.obtener(CAPA, todas=True)
    resultado = ejecutar_pyqgis(GUION_PROYECTO, proyecto=str(ruta), id=id_capa(capa), campos=CAMPOS)
    assert resultado["avisos"] == []
    assert resultado["leido"] is True
    # SRC métrico derivado de la comuna configurada (no un literal): 5362 en Teodoro Schmidt.
    assert resultado["crs"] == f"EPSG:{comuna.srid_metrico}" == "EPSG:5362"
    assert resultado["unidades"] == "meters"
    assert resultado["crs_capa"] == "EPSG:4326"
    visor = registro.para_visor(todas=True)
    assert resultado["orden_propio"] is True
    assert resultado["orden"] == [id_capa(c) for c in visor]
    assert resultado["encendidas"] == {id_capa(c): c.visible for c in visor}
    importadas = [c for c in visor if c.origen == "importada"]
    assert importadas and not any(resultado["encendidas"][id_capa(c)] for c in importadas)
    assert visor[-len(importadas) :] == importadas  # referencia abajo
    assert resultado["grupos"][-1] == "Capas de referencia"
    # Etiquetas también desde el proyecto (que no aplica el estilo por defecto del GeoPackage).
    assert {int(k): v for k, v in resultado["capa"]["filas"].items()} == esperado
    assert resultado["capa"]["alias"]["fuente"] == "Fuente de financiamiento"
    # Vista inicial en metros UTM sobre la comuna (x ≈ 640–690 km, y ≈ 5.64–5.69 millones).
    xmin, ymin, xmax, ymax = resultado["vista"]
    assert 600_000 < xmin < xmax < 720_000 and 5_600_000 < ymin < ymax < 5_720_000


def test_csv_kml_y_shapefile_llevan_etiquetas(esperado, tmp_path):
    ruta = exportar(capas=[CAPA], formato="csv", salida=tmp_path / "p.csv", todas=True).ruta
    filas = list(csv.DictReader(io.StringIO(ruta.read_text(encoding="utf-8-sig"))))
    assert list(filas[0])[:5] == ["WKT", "fid", "Código BIP", "Código de Mercado Público", "Nombre"]
    por_fid = {int(f["fid"]): f for f in filas}
    assert {
        fid: {
            "institucion": f["Institución"],
            "fuente": f["Fuente de financiamiento"] or None,
            "etapa": f["Etapa"],
            "codigo_bip": f["Código BIP"],
            "es_demo": f["Dato de demostración"],
        }
        for fid, f in por_fid.items()
    } == esperado

    kml = exportar(capas=[CAPA], formato="kml", salida=tmp_path / "p.kml", todas=True).ruta
    meta, _f, _g, valores = pyogrio.raw.read(kml)
    columnas = dict(zip(meta["fields"], valores, strict=True))
    leidas = dict(zip((int(f) for f in columnas["fid"]), columnas["institucion"], strict=True))
    assert leidas == {fid: e["institucion"] for fid, e in esperado.items()}
    assert set(columnas["es_demo"]) == {"Sí"}
    # Google Earth titula cada dato con el <displayName> del campo del <Schema>.
    esquema = ElementTree.fromstring(kml.read_bytes()).find(".//{http://www.opengis.net/kml/2.2}Schema")
    titulos = {c.get("name"): c.findtext("{http://www.opengis.net/kml/2.2}displayName") for c in esquema}
    assert titulos["fuente"] == "Fuente de financiamiento"
    assert titulos["codigo_bip"] == "Código BIP"

    shp = exportar(capas=[CAPA], formato="shp", salida=tmp_path / "p", todas=True).ruta
    meta, _f, _g, valores = pyogrio.raw.read(f"/vsizip/{shp}/{CAPA}.shp")
    columnas = dict(zip(meta["fields"], valores, strict=True))
    fuentes = dict(zip(columnas["fid"].tolist(), columnas["fuente"], strict=True))
    assert {k: v or None for k, v in fuentes.items()} == {fid: e["fuente"] for fid, e in esperado.items()}
    with zipfile.ZipFile(shp) as archivo:
        tabla = list(csv.DictReader(io.StringIO(archivo.read(f"{CAPA}_campos.csv").decode())))
    assert {f["campo"]: f["tipo"] for f in tabla}["fuente"] == "texto"


def test_geojson_sigue_con_los_valores(esperado, tmp_path):
    ruta = exportar(capas=[CAPA], formato="geojson", salida=tmp_path, todas=True).ruta
    meta, _f, _g, valores = pyogrio.raw.read(ruta)
    columnas = dict(zip(meta["fields"], valores, strict=True))
    assert "servicio_publico" in set(columnas["institucion"])
    assert "Servicio público" not in set(columnas["institucion"])
