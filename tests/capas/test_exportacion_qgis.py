"""El cliente real: QGIS 3.22 (PyQGIS sin pantalla) abre el GeoPackage y el proyecto exportados."""

import sqlite3
import zipfile

import pyogrio
import pytest

from apps.comunas.selectors import comuna_configurada
from capas.estilos import TOPE_QGIS, tipo_simbolo
from capas.exportacion.qgis_proyecto import id_capa
from capas.exportacion.servicios import exportar
from capas.registro import registro
from tests.capas.test_exportacion_datos import filas_de_bd
from tests.qgis import ejecutar_pyqgis

pytestmark = pytest.mark.qgis

# Describe cada capa como la ve QGIS: validez, elementos, fids, CRS y el renderer que cargó.
DESCRIBIR = """
def describir(capa):
    r = capa.renderer()
    info = {
        "valida": capa.isValid(),
        "elementos": capa.featureCount(),
        "fids": sorted(f.id() for f in capa.getFeatures()),
        "crs": capa.crs().authid(),
        "renderer": r.type(),
        "titulo": capa.name(),
    }
    if r.type() == "categorizedSymbol":
        # La lista debe seguir viva mientras se usa el símbolo (si no, PyQGIS cae).
        categorias = r.categories()
        info["campo"] = r.classAttribute()
        info["categorias"] = [str(c.value()) for c in categorias]
        info["color"] = categorias[0].symbol().color().name()
    elif r.type() == "graduatedSymbol":
        rangos = r.ranges()
        info["campo"] = r.classAttribute()
        info["rangos"] = [[g.lowerValue(), g.upperValue()] for g in rangos]
        info["color"] = rangos[0].symbol().color().name()
    else:
        info["color"] = r.symbol().color().name()
    return info
"""

GUION_GPKG = (
    DESCRIBIR
    + """
from qgis.core import QgsVectorLayer
resultado = {"capas": {}}
for nombre in parametros["capas"]:
    capa = QgsVectorLayer(f"{parametros['gpkg']}|layername={nombre}", nombre, "ogr")
    resultado["capas"][nombre] = describir(capa)
    resultado["capas"][nombre]["estilos_en_gpkg"] = capa.listStylesInDatabase()[0]
"""
)

GUION_PROYECTO = (
    DESCRIBIR
    + """
from qgis.core import QgsProject
proyecto = QgsProject.instance()
resultado = {"leido": proyecto.read(parametros["proyecto"])}
raiz = proyecto.layerTreeRoot()
resultado["grupos"] = [g.name() for g in raiz.children()]
resultado["arbol"] = {g.name(): [n.layerId() for n in g.findLayers()] for g in raiz.children()}
resultado["crs"] = proyecto.crs().authid()
extension = proyecto.viewSettings().defaultViewExtent()
resultado["vista"] = [extension.xMinimum(), extension.yMinimum(), extension.xMaximum(), extension.yMaximum()]
resultado["capas"] = {i: describir(c) for i, c in proyecto.mapLayers().items()}
capas = proyecto.mapLayers().items()
resultado["alias"] = {i: c.attributeAlias(c.fields().indexOf("codigo_bip")) for i, c in capas}
if parametros.get("guardar_en"):
    resultado["adjuntos"] = [a.rsplit("/", 1)[-1] for a in proyecto.attachedFiles()]
    resultado["guardado"] = proyecto.write(parametros["guardar_en"])
"""
)

# QGIS crea layer_styles y guarda un estilo: su esquema debe ser el mismo que el exportado.
GUION_ESTILO_QGIS = """
from qgis.core import QgsVectorLayer
capa = QgsVectorLayer(f"{parametros['gpkg']}|layername={parametros['capa']}", "x", "ogr")
resultado = {"guardado": capa.saveStyleToDatabase("qgis", "", True, "")}
"""


def _esperado(capa):
    """Devuelve lo que QGIS debe mostrar de la capa según la base y su estilo."""
    estilo = capa.estilo
    esperado = {"valida": True, "fids": sorted(filas_de_bd(capa.nombre)), "crs": "EPSG:4326"}
    esperado["elementos"] = len(esperado["fids"])
    if estilo.rangos:
        # Clases enteras [mínimo, máximo) en QGIS: (mínimo − 1, máximo − 1], la primera con su mínimo.
        esperado |= {
            "renderer": "graduatedSymbol",
            "campo": estilo.campo,
            "rangos": [
                [r.minimo - (i > 0), TOPE_QGIS if r.maximo is None else r.maximo - 1]
                for i, r in enumerate(estilo.rangos)
            ],
            "color": estilo.rangos[0].simbolo.relleno,
        }
    elif estilo.categorias:
        esperado |= {
            "renderer": "categorizedSymbol",
            "campo": estilo.campo,
            "categorias": [c.valor for c in estilo.categorias],
            "color": estilo.categorias[0].simbolo.relleno,
        }
    else:
        linea = tipo_simbolo(capa.tipo_geometria) == "line"
        esperado |= {
            "renderer": "singleSymbol",
            "color": estilo.simbolo.borde if linea else estilo.simbolo.relleno,
        }
    return esperado


def _comparable(info):
    return {k: v for k, v in info.items() if k not in ("titulo", "estilos_en_gpkg")}


def test_qgis_abre_cada_capa_del_gpkg_con_su_estilo_y_sin_avisos(datos, tmp_path):
    ruta = exportar(capas=None, formato="gpkg", salida=tmp_path / "capas.gpkg", todas=True).ruta
    resultado = ejecutar_pyqgis(GUION_GPKG, gpkg=str(ruta), capas=[c.nombre for c in datos.capas])
    assert resultado["avisos"] == []
    for capa in datos.capas:
        vista = resultado["capas"][capa.nombre]
        assert _comparable(vista) == _esperado(capa), capa.nombre
        assert vista["estilos_en_gpkg"] == 1, capa.nombre


def test_layer_styles_tiene_el_mismo_esquema_que_crea_qgis(datos, tmp_path):
    nuestro = exportar(capas=["comunas"], formato="gpkg", salida=tmp_path / "nuestro.gpkg", todas=True).ruta
    # Mismo GeoPackage sin layer_styles: que QGIS la cree al guardar un estilo.
    de_qgis = tmp_path / "qgis.gpkg"
    meta, _fids, geometrias, valores = pyogrio.raw.read(nuestro, layer="comunas")
    pyogrio.raw.write(
        de_qgis,
        geometrias,
        valores,
        meta["fields"],
        layer="comunas",
        driver="GPKG",
        crs="EPSG:4326",
        geometry_type="MultiPolygon",
    )
    resultado = ejecutar_pyqgis(GUION_ESTILO_QGIS, gpkg=str(de_qgis), capa="comunas")
    assert resultado == {"guardado": "", "avisos": []}  # sin mensaje de error

    def esquema(ruta):
        with sqlite3.connect(ruta) as conexion:
            columnas = conexion.execute("PRAGMA table_info(layer_styles)").fetchall()
            contenido = conexion.execute(
                "SELECT data_type, identifier, description, srs_id FROM gpkg_contents "
                "WHERE table_name = 'layer_styles'"
            ).fetchall()
            fila = conexion.execute(
                "SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, useAsDefault, "
                "owner FROM layer_styles"
            ).fetchall()
        return columnas, contenido, fila

    assert esquema(nuestro) == esquema(de_qgis)


def test_qgis_abre_el_proyecto_qgs_con_grupos_estilos_y_sin_avisos(datos, tmp_path):
    exportado = exportar(capas=None, formato="qgis", salida=tmp_path / "territorio.qgs", todas=True)
    assert exportado.ruta == tmp_path / "territorio.qgs"
    assert (tmp_path / "territorio.gpkg").is_file()
    assert "./territorio.gpkg|layername=inmuebles" in exportado.ruta.read_text(encoding="utf-8")
    # Proyecto y GeoPackage se mueven juntos: las rutas relativas deben seguir sirviendo.
    carpeta = tmp_path / "copiado"
    carpeta.mkdir()
    for nombre in ("territorio.qgs", "territorio.gpkg"):
        (tmp_path / nombre).rename(carpeta / nombre)
    _verificar_proyecto(datos, ejecutar_pyqgis(GUION_PROYECTO, proyecto=str(carpeta / "territorio.qgs")))


def test_qgis_abre_el_proyecto_qgz_con_el_gpkg_adjunto(datos, tmp_path):
    exportado = exportar(capas=None, formato="qgis", salida=tmp_path / "territorio", todas=True)
    assert exportado.ruta == tmp_path / "territorio.qgz"
    with zipfile.ZipFile(exportado.ruta) as archivo:
        assert sorted(archivo.namelist()) == ["territorio.gpkg", "territorio.qgs"]
        assert "attachment:territorio.gpkg|layername=inmuebles" in archivo.read("territorio.qgs").decode()
    # Renombrado y vuelto a guardar por QGIS, el .qgz conserva su GeoPackage adjunto.
    renombrado = exportado.ruta.rename(tmp_path / "copia de trabajo.qgz")
    resultado = ejecutar_pyqgis(
        GUION_PROYECTO, proyecto=str(renombrado), guardar_en=str(tmp_path / "guardado.qgz")
    )
    _verificar_proyecto(datos, resultado)
    assert resultado["adjuntos"] == ["territorio.gpkg"]
    assert resultado["guardado"] is True
    with zipfile.ZipFile(tmp_path / "guardado.qgz") as archivo:
        assert "territorio.gpkg" in archivo.namelist()


def _verificar_proyecto(datos, resultado):
    assert resultado["avisos"] == []
    assert resultado["leido"] is True
    assert resultado["crs"] == "EPSG:5362"  # SRC métrico de la comuna (test_exportacion_etiquetas)
    visor = registro.para_visor(todas=True)
    grupos = list(dict.fromkeys(c.grupo for c in visor))
    assert resultado["grupos"] == grupos
    assert resultado["arbol"] == {g: [id_capa(c) for c in visor if c.grupo == g] for g in grupos}
    assert set(resultado["capas"]) == {id_capa(c) for c in datos.capas}
    for capa in datos.capas:
        vista = resultado["capas"][id_capa(capa)]
        assert vista["titulo"] == capa.titulo
        assert _comparable(vista) == _esperado(capa), capa.nombre
    assert resultado["alias"][id_capa(registro.obtener("proyectos-puntos", todas=True))] == "Código BIP"
    # Vista inicial sobre Teodoro Schmidt (≈ -73.3…-72.9, -39.3…-38.9), en EPSG:5362 con 1 km de margen.
    xmin, ymin, xmax, ymax = resultado["vista"]
    esperada = _extension_metrica()
    assert [xmin, ymin, xmax, ymax] == pytest.approx(esperada, abs=1.0)


def _extension_metrica() -> list[float]:
    """Devuelve la extensión del límite comunal en EPSG:5362 con el margen de 1 km del proyecto."""
    xmin, ymin, xmax, ymax = comuna_configurada().limite.transform(5362, clone=True).extent
    return [xmin - 1000, ymin - 1000, xmax + 1000, ymax + 1000]
