"""GeoJSON, Shapefile, KML y CSV por capa: conteos, atributos, fids y texto con tildes (leídos con GDAL)."""

import csv
import io
import json
import zipfile

import pyogrio
import pytest

from capas.exportacion.formatos import nombres_dbf
from capas.exportacion.servicios import exportar
from capas.registro import registro
from tests.capas.test_exportacion_datos import CAPA_CIUDADES, CAPA_INE, SIN_DATOS, filas_de_bd

NOMBRE_CON_TILDES = "[DEMO] Reposición sede social sector Los Robles"


def _etiquetas(capa: str, atributo: str) -> dict[str, str]:
    """Devuelve {valor: etiqueta} de las opciones de un atributo de la capa."""
    fuente = registro.obtener(capa, todas=True).fuente
    return dict(next(a for a in fuente.atributos if a.nombre == atributo).opciones)


def _leer(ruta, **opciones):
    """Devuelve (fids, {campo: lista de valores}) leídos con GDAL."""
    meta, fids, _geom, valores = pyogrio.raw.read(ruta, return_fids=True, **opciones)
    return fids.tolist(), {campo: list(v) for campo, v in zip(meta["fields"], valores, strict=True)}


def test_geojson_rfc7946_con_id_y_atributos(datos, tmp_path):
    ruta = exportar(capas=["proyectos-puntos"], formato="geojson", salida=tmp_path, todas=True).ruta
    assert ruta.name == "proyectos-puntos.geojson"
    documento = json.loads(ruta.read_text(encoding="utf-8"))
    assert "crs" not in documento  # RFC 7946: siempre WGS 84, sin miembro crs
    en_bd = filas_de_bd("proyectos-puntos")
    assert sorted(r["id"] for r in documento["features"]) == sorted(en_bd)
    for rasgo in documento["features"]:
        fila = en_bd[rasgo["id"]]
        assert rasgo["properties"]["nombre"] == fila["nombre"]
        assert rasgo["properties"]["etapa"] == fila["etapa"]
        assert rasgo["properties"]["es_demo"] is True
        assert rasgo["geometry"]["type"] == "MultiPoint"
        lon, lat = rasgo["geometry"]["coordinates"][0]
        assert -73.5 < lon < -72.8 and -39.4 < lat < -38.8
    assert NOMBRE_CON_TILDES in {r["properties"]["nombre"] for r in documento["features"]}


def test_geojson_de_varias_capas_va_en_un_zip_con_un_archivo_por_capa(datos, tmp_path):
    resultado = exportar(capas=[CAPA_CIUDADES, "inmuebles"], formato="geojson", salida=tmp_path, todas=True)
    assert resultado.ruta.suffix == ".zip"
    with zipfile.ZipFile(resultado.ruta) as archivo:
        assert sorted(archivo.namelist()) == [f"{CAPA_CIUDADES}.geojson", "inmuebles.geojson"]
        ciudades = json.loads(archivo.read(f"{CAPA_CIUDADES}.geojson"))
    temuco = next(r["properties"] for r in ciudades["features"] if r["properties"]["NAME_ES"] == "Temuco")
    assert temuco == {
        "NAME_ES": "Temuco",
        "POP_MAX": 265901,
        "LATITUDE": pytest.approx(-38.7300016085),
        "capital": True,
        "censo": "2017-04-19",
        "actualizado": "2024-03-01T12:30:00Z",
    }
    assert resultado.elementos == {CAPA_CIUDADES: 11, "inmuebles": 6}


def test_shapefile_zip_con_cpg_utf8_y_nombres_recortados(datos, tmp_path):
    resultado = exportar(capas=["inmuebles", CAPA_INE], formato="shp", salida=tmp_path / "capas", todas=True)
    assert resultado.ruta == tmp_path / "capas.zip"
    with zipfile.ZipFile(resultado.ruta) as archivo:
        nombres = set(archivo.namelist())
        assert {f"inmuebles{e}" for e in (".shp", ".shx", ".dbf", ".prj", ".cpg")} <= nombres
        assert archivo.read("inmuebles.cpg").decode() == "UTF-8"
        tabla = list(csv.DictReader(io.StringIO(archivo.read("inmuebles_campos.csv").decode())))
    assert {f["campo"]: f["campo_dbf"] for f in tabla}["estado_saneamiento"] == "estado_san"
    fids, valores = _leer(f"/vsizip/{resultado.ruta}/inmuebles.shp")
    en_bd = filas_de_bd("inmuebles")
    assert len(fids) == len(en_bd) == 6
    assert sorted(valores["fid"]) == sorted(en_bd)
    assert {k for k in valores if len(k) > 10} == set()
    # Para personas: la etiqueta de la opción, no el código.
    por_fid = dict(zip(valores["fid"], valores["estado_san"], strict=True))
    etiqueta = _etiquetas("inmuebles", "estado_saneamiento")
    assert por_fid == {fid: etiqueta[fila["estado_saneamiento"]] for fid, fila in en_bd.items()}
    assert "Regular (inscrito)" in por_fid.values()
    _fids, ine = _leer(f"/vsizip/{resultado.ruta}/{CAPA_INE}.shp")
    assert "GUALPÍN" in ine["URBANO"] and set(ine["NOM_REGION"]) == {"REGIÓN DE LA ARAUCANÍA"}


def test_shapefile_de_una_capa_tambien_va_comprimido(datos, tmp_path):
    ruta = exportar(capas=["proyectos-puntos"], formato="shp", salida=tmp_path, todas=True).ruta
    assert ruta.name == "proyectos-puntos-shp.zip"
    _fids, valores = _leer(f"/vsizip/{ruta}/proyectos-puntos.shp")
    assert NOMBRE_CON_TILDES in valores["nombre"]
    assert set(valores) >= {"codigo_bip", "monto_soli", "monto_apro"}


def test_kml_con_nombre_y_datos_extendidos(datos, tmp_path):
    ruta = exportar(capas=["proyectos-puntos"], formato="kml", salida=tmp_path / "p.kml", todas=True).ruta
    _fids, valores = _leer(ruta)
    en_bd = filas_de_bd("proyectos-puntos")
    assert sorted(int(f) for f in valores["fid"]) == sorted(en_bd)
    # El atributo «nombre» es el <name> del elemento (lo que muestra Google Earth).
    assert sorted(valores["Name"]) == sorted(f["nombre"] for f in en_bd.values())
    assert NOMBRE_CON_TILDES in valores["Name"]
    etiqueta = _etiquetas("proyectos-puntos", "etapa")
    assert sorted(valores["etapa"]) == sorted(etiqueta[f["etapa"]] for f in en_bd.values())


def test_kml_y_csv_escriben_fechas_iso(datos, tmp_path):
    kml = exportar(capas=[CAPA_CIUDADES], formato="kml", salida=tmp_path, todas=True).ruta
    _fids, valores = _leer(kml)
    assert set(valores["censo"]) == {"2017-04-19", None}
    assert set(valores["actualizado"]) == {"2024-03-01T12:30:00Z", None}
    ruta = exportar(capas=["concesiones"], formato="csv", salida=tmp_path, todas=True).ruta
    _fids, valores = _leer(ruta)
    en_bd = filas_de_bd("concesiones")
    esperadas = sorted(f["fecha_inicio"].isoformat() for f in en_bd.values())
    assert sorted(valores["Fecha de inicio"]) == esperadas  # el CSV se titula con el título


def test_csv_con_wkt_bom_y_tildes(datos, tmp_path):
    ruta = exportar(capas=[CAPA_CIUDADES], formato="csv", salida=tmp_path / "ciudades.csv", todas=True).ruta
    contenido = ruta.read_bytes()
    assert contenido.startswith(b"\xef\xbb\xbf")  # BOM: Excel reconoce el UTF-8
    filas = list(csv.DictReader(io.StringIO(contenido.decode("utf-8-sig"))))
    assert len(filas) == 11
    assert list(filas[0])[:2] == ["WKT", "fid"]
    por_nombre = {f["NAME_ES"]: f for f in filas}
    assert por_nombre["Temuco"]["WKT"].startswith("MULTIPOINT ((-72.")
    assert por_nombre["Temuco"]["POP_MAX"] == "265901"
    assert por_nombre[SIN_DATOS]["POP_MAX"] == ""
    assert {"Toltén", "Santa Bárbara"} <= set(por_nombre)


def test_recorte_de_nombres_dbf_es_estable_y_unico():
    assert nombres_dbf(["estado_saneamiento", "estado_sanidad", "Año_construcción", "ESTADO_SAN"]) == [
        "estado_san",
        "estado_s_1",
        "Ano_constr",
        "ESTADO_S_2",
    ]
    assert nombres_dbf(["fid", "nombre"]) == ["fid", "nombre"]
    assert nombres_dbf(["ñ ñ"]) == ["n_n"]
