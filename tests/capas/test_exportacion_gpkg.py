"""GeoPackage exportado: versión, tablas, conteos, fids, tipos, texto intacto y layer_styles."""

import re
import sqlite3
import xml.etree.ElementTree as ET
from datetime import date, datetime

import numpy as np
import pyogrio
import pytest

from apps.proyectos.models import Proyecto
from capas.exportacion import lectura
from capas.exportacion.gpkg import escribir_gpkg
from capas.exportacion.servicios import exportar
from capas.fuentes import TIPOS
from capas.registro import registro
from tests.capas.test_exportacion_datos import (
    CAPA_CIUDADES,
    CAPA_INE,
    DESPLAZAMIENTO_FID,
    SIN_DATOS,
    filas_de_bd,
)

ISO_8601_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
# Columnas de layer_styles como las deja QGIS 3.22 al guardar un estilo en un GeoPackage
# (nombre, tipo declarado, NOT NULL, valor por defecto, parte de la clave primaria).
COLUMNAS_LAYER_STYLES = [
    ("id", "INTEGER", 1, None, 1),
    ("f_table_catalog", "TEXT(256)", 0, None, 0),
    ("f_table_schema", "TEXT(256)", 0, None, 0),
    ("f_table_name", "TEXT(256)", 0, None, 0),
    ("f_geometry_column", "TEXT(256)", 0, None, 0),
    ("styleName", "TEXT(30)", 0, None, 0),
    ("styleQML", "TEXT", 0, None, 0),
    ("styleSLD", "TEXT", 0, None, 0),
    ("useAsDefault", "BOOLEAN", 0, None, 0),
    ("description", "TEXT", 0, None, 0),
    ("owner", "TEXT(30)", 0, None, 0),
    ("ui", "TEXT(30)", 0, None, 0),
    ("update_time", "DATETIME", 0, "strftime('%Y-%m-%dT%H:%M:%fZ','now')", 0),
]


@pytest.fixture
def gpkg(datos, tmp_path):
    """Exporta todas las capas a un GeoPackage y devuelve su ruta."""
    resultado = exportar(capas=None, formato="gpkg", salida=tmp_path / "territorio.gpkg", todas=True)
    assert resultado.ruta == tmp_path / "territorio.gpkg"
    return resultado.ruta


def _sql(ruta, consulta, *parametros):
    conexion = sqlite3.connect(ruta)
    try:
        return conexion.execute(consulta, parametros).fetchall()
    finally:
        conexion.close()


def test_es_geopackage_1_2_con_una_tabla_por_capa(datos, gpkg):
    assert _sql(gpkg, "PRAGMA application_id") == [(0x47504B47,)]  # 'GPKG'
    assert _sql(gpkg, "PRAGMA user_version")[0][0] in (10200, 10300)
    capas = dict(pyogrio.list_layers(gpkg))
    assert capas.pop("layer_styles") is None  # tabla sin geometría
    assert set(capas) == {c.nombre for c in datos.capas}
    assert capas["inmuebles"] == "MultiPolygon"
    assert capas["activos"] == "MultiPoint"
    assert capas["proyectos-lineas"] == "MultiLineString"
    contenidos = dict(_sql(gpkg, "SELECT table_name, identifier FROM gpkg_contents WHERE srs_id = 4326"))
    assert contenidos["comunas"] == "Límite comunal"
    assert contenidos[CAPA_INE] == "Límites urbanos INE 2017 (Araucanía)"


def test_conteos_y_fids_son_los_de_la_base(datos, gpkg):
    for capa in datos.capas:
        en_bd = filas_de_bd(capa.nombre)
        fids = pyogrio.raw.read(gpkg, layer=capa.nombre, return_fids=True)[1]
        assert sorted(fids.tolist()) == sorted(en_bd), capa.nombre
    fids_ine = _sql(gpkg, f'SELECT min(fid), max(fid), count(*) FROM "{CAPA_INE}"')
    assert fids_ine == [(DESPLAZAMIENTO_FID, DESPLAZAMIENTO_FID + 51, 52)]


def test_texto_con_tildes_y_enie_queda_intacto(datos, gpkg):
    filas = _sql(
        gpkg, f'SELECT "URBANO", "NOM_REGION", "NOM_PROVIN" FROM "{CAPA_INE}" WHERE "COMUNA" = ?', "9117"
    )
    assert sorted(filas) == [
        ("GUALPÍN", "REGIÓN DE LA ARAUCANÍA", "CAUTÍN"),
        ("TEODORO SCHMIDT", "REGIÓN DE LA ARAUCANÍA", "CAUTÍN"),
    ]
    nombres = {n for (n,) in _sql(gpkg, 'SELECT nombre FROM "proyectos-puntos"')}
    assert "[DEMO] Reposición sede social sector Los Robles" in nombres
    assert {n for (n,) in _sql(gpkg, f'SELECT "NAME_ES" FROM "{CAPA_CIUDADES}"')} >= {"Toltén", SIN_DATOS}


def test_tipos_de_campo_segun_tipos_logicos(datos, gpkg):
    for capa in datos.capas:
        info = pyogrio.read_info(gpkg, layer=capa.nombre)
        assert info["fid_column"] == "fid"
        assert info["geometry_name"] == "geom"
        assert info["crs"] == "EPSG:4326"
        esperados = [f"OFT{TIPOS[a.tipo][1]}" for a in capa.fuente.atributos]
        assert list(info["fields"]) == [a.nombre for a in capa.fuente.atributos], capa.nombre
        assert info["ogr_types"] == esperados, capa.nombre
    subtipos = pyogrio.read_info(gpkg, layer=CAPA_CIUDADES)["ogr_subtypes"]
    assert subtipos[3] == "OFSTBoolean"


def test_valores_de_cada_tipo_y_nulos(datos, gpkg):
    _meta, _fids, _geom, valores = pyogrio.raw.read(gpkg, layer=CAPA_CIUDADES, datetime_as_string=True)
    nombre, poblacion, latitud, capital, censo, actualizado = valores
    fila = {n: i for i, n in enumerate(nombre)}
    temuco, santa_barbara = fila["Temuco"], fila[SIN_DATOS]
    assert poblacion[temuco] == 265901
    assert latitud[temuco] == pytest.approx(-38.7300016085)
    assert bool(capital[temuco]) is True and bool(capital[santa_barbara]) is False
    assert censo[temuco] == "2017-04-19"
    # La hora de Chile (-03:00) se guarda en UTC, como exige GeoPackage.
    assert actualizado[temuco].startswith("2024-03-01T12:30:00")
    assert np.isnan(poblacion[santa_barbara])
    assert censo[santa_barbara] is None and actualizado[santa_barbara] is None
    crudo = _sql(gpkg, f'SELECT "actualizado", "censo" FROM "{CAPA_CIUDADES}" WHERE "NAME_ES" = ?', "Temuco")
    assert crudo == [("2024-03-01T12:30:00.000Z", "2017-04-19")]
    assert datetime.fromisoformat(crudo[0][0]).utcoffset().total_seconds() == 0
    assert date.fromisoformat(crudo[0][1]) == date(2017, 4, 19)


def test_layer_styles_como_lo_escribe_qgis(datos, gpkg):
    columnas = [tuple(c[1:]) for c in _sql(gpkg, "PRAGMA table_info(layer_styles)")]
    assert columnas == COLUMNAS_LAYER_STYLES
    assert _sql(
        gpkg, "SELECT data_type, identifier, srs_id FROM gpkg_contents WHERE table_name = ?", "layer_styles"
    ) == [("attributes", "layer_styles", 0)]
    assert _sql(gpkg, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'layer_styles'") == [
        (len(datos.capas),)
    ]
    filas = _sql(
        gpkg,
        "SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, useAsDefault, "
        "update_time, styleQML, owner FROM layer_styles ORDER BY f_table_name",
    )
    assert [f[2] for f in filas] == sorted(c.nombre for c in datos.capas)
    for catalogo, esquema, tabla, columna_geom, nombre, por_defecto, momento, qml, dueno in filas:
        capa = registro.obtener(tabla, todas=True)
        assert (catalogo, esquema, columna_geom, nombre, por_defecto, dueno) == ("", "", "geom", tabla, 1, "")
        assert ISO_8601_UTC.match(momento), momento
        assert _renderer(qml) == _renderer(capa.estilo.qml(capa.tipo_geometria))
    assert 'attr="etapa"' in dict((f[2], f[7]) for f in filas)["proyectos-puntos"]


def test_por_lotes_pequenos_el_resultado_es_el_mismo(datos, tmp_path):
    capa = registro.obtener(CAPA_INE, todas=True)
    conteos = escribir_gpkg([capa], tmp_path / "lotes.gpkg", tamano_lote=10)
    assert conteos == {CAPA_INE: 52}
    leida = lectura.Lectura(capa, tamano_lote=10)
    assert [lote.num_rows for lote in leida] == [10, 10, 10, 10, 10, 2]
    assert (leida.lotes, leida.elementos) == (6, 52)
    fids = pyogrio.raw.read(tmp_path / "lotes.gpkg", layer=CAPA_INE, return_fids=True)[1]
    assert fids.tolist() == list(range(DESPLAZAMIENTO_FID, DESPLAZAMIENTO_FID + 52))


def test_capa_sin_elementos_queda_como_tabla_vacia(datos, tmp_path):
    capa = registro.obtener("proyectos-lineas", todas=True)
    Proyecto.objects.filter(geom__isnull=False).delete()
    assert escribir_gpkg([capa], tmp_path / "vacia.gpkg") == {"proyectos-lineas": 0}
    info = pyogrio.read_info(tmp_path / "vacia.gpkg", layer="proyectos-lineas")
    assert info["features"] == 0 and info["geometry_type"] == "MultiLineString"
    assert list(info["fields"]) == [a.nombre for a in capa.fuente.atributos]


def test_no_sobrescribe_un_geopackage_existente(datos, tmp_path):
    destino = tmp_path / "existente.gpkg"
    destino.write_bytes(b"")
    with pytest.raises(FileExistsError):
        escribir_gpkg(datos.capas[:1], destino)


def test_el_fid_no_choca_con_un_atributo_llamado_fid():
    cols = [lectura.Columna("FID", "entero"), lectura.Columna("fid_1", "texto")]
    assert lectura.nombre_fid(cols) == "fid_2"
    assert lectura.nombre_fid([lectura.Columna("nombre", "texto")]) == "fid"


def _renderer(qml: str) -> str:
    """Devuelve el <renderer-v2> de un QML normalizado (el QML exportado agrega campos al del estilo)."""
    return ET.tostring(ET.fromstring(qml.split("\n", 1)[1]).find("renderer-v2"), encoding="unicode")
