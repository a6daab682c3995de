"""Órdenes capas_exportar y capas_listar: cada formato, listado y errores en español."""

import io
import zipfile

import pyogrio
import pytest
from django.core.management import call_command

from capas.exportacion.servicios import FORMATOS
from tests.capas.test_exportacion_datos import CAPA_CIUDADES, CAPA_INE
from tests.conftest import manage_en_proceso


def _exportar(**opciones) -> str:
    salida = io.StringIO()
    call_command("capas_exportar", stdout=salida, stderr=io.StringIO(), **opciones)
    return salida.getvalue()


@pytest.mark.parametrize(
    ("formato", "archivo", "capas_en_archivo"),
    [
        ("gpkg", "capas.gpkg", None),
        ("qgis", "capas.qgz", ["capas.gpkg", "capas.qgs"]),
        ("geojson", "capas.zip", ["activos.geojson", "inmuebles.geojson"]),
        ("kml", "capas.zip", ["activos.kml", "inmuebles.kml"]),
        ("csv", "capas.zip", ["activos.csv", "inmuebles.csv"]),
    ],
)
def test_exporta_cada_formato(datos, tmp_path, formato, archivo, capas_en_archivo):
    mensaje = _exportar(formato=formato, capas="inmuebles,activos", salida=str(tmp_path / "capas"))
    ruta = tmp_path / archivo
    assert f"2 capas, 12 elementos en {ruta}" in mensaje
    if capas_en_archivo is None:
        assert sorted(dict(pyogrio.list_layers(ruta))) == ["activos", "inmuebles", "layer_styles"]
    else:
        with zipfile.ZipFile(ruta) as contenido:
            assert sorted(contenido.namelist()) == capas_en_archivo


def test_zip_en_mayusculas_lleva_todas_las_capas(datos, tmp_path):
    _exportar(formato="geojson", capas="inmuebles,activos", salida=str(tmp_path / "CAPAS.ZIP"))
    with zipfile.ZipFile(tmp_path / "CAPAS.ZIP") as contenido:
        assert sorted(contenido.namelist()) == ["activos.geojson", "inmuebles.geojson"]


def test_exporta_shapefile_de_todas_las_capas_a_una_carpeta(datos, tmp_path):
    mensaje = _exportar(formato="shp", salida=str(tmp_path))
    zips = list(tmp_path.glob("territorio-capas-*-shp.zip"))
    assert len(zips) == 1
    assert f"{len(datos.capas)} capas" in mensaje
    with zipfile.ZipFile(zips[0]) as contenido:
        shp = sorted(n.removesuffix(".shp") for n in contenido.namelist() if n.endswith(".shp"))
    assert shp == sorted(c.nombre for c in datos.capas)
    assert pyogrio.read_info(f"/vsizip/{zips[0]}/{CAPA_INE}.shp")["features"] == 52


def test_capas_listar_muestra_nombre_titulo_grupo_tipo_origen_y_elementos(datos):
    salida = io.StringIO()
    call_command("capas_listar", stdout=salida)
    lineas = salida.getvalue().splitlines()
    assert lineas[0].split() == ["nombre", "título", "grupo", "tipo", "origen", "elementos"]
    assert lineas[-1] == f"{len(datos.capas)} capas."
    filas = {linea.split()[0]: linea for linea in lineas[1:-1]}
    assert set(filas) == {c.nombre for c in datos.capas}
    assert filas["inmuebles"].split()[-3:] == ["MultiPolygon", "dominio", "6"]
    assert "Bienes inmuebles municipales" in filas["inmuebles"]
    assert "Patrimonio municipal" in filas["inmuebles"]
    assert filas[CAPA_CIUDADES].split()[-3:] == ["MultiPoint", "importada", "11"]


def test_capa_inexistente_termina_con_error_en_espanol(db, tmp_path):
    proceso = manage_en_proceso(
        "capas_exportar", "--formato", "gpkg", "--capas", "comunas,no-existe", "--salida", str(tmp_path)
    )
    assert proceso.returncode != 0
    assert "No existe la capa «no-existe»." in proceso.stderr
    assert list(tmp_path.iterdir()) == []


def test_formato_desconocido_termina_con_error_en_espanol(db, tmp_path):
    proceso = manage_en_proceso("capas_exportar", "--formato", "xls", "--salida", str(tmp_path / "x"))
    assert proceso.returncode != 0
    assert "Formato no soportado «xls»: use uno de " + ", ".join(FORMATOS) in proceso.stderr


def test_orden_real_exporta_en_una_instantanea_de_la_base(db, tmp_path):
    # Proceso aparte, fuera de toda transacción: lee en REPEATABLE READ (la base de pruebas no
    # tiene filas confirmadas, así que la capa sale vacía pero con su esquema).
    proceso = manage_en_proceso(
        "capas_exportar", "--formato", "gpkg", "--capas", "comunas", "--salida", str(tmp_path / "c")
    )
    assert proceso.returncode == 0, proceso.stderr
    assert "1 capa, 0 elementos" in proceso.stdout
    info = pyogrio.read_info(tmp_path / "c.gpkg", layer="comunas")
    assert info["features"] == 0 and list(info["fields"]) == ["cut", "nombre", "provincia", "region"]
