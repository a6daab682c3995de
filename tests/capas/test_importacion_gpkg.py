"""Importación de GeoPackage: DGA real en EPSG:32719 y archivos con varias capas (una o todas)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from capas.importacion.informe import ImportacionRechazada
from capas.importacion.vectorial import capa_importar, capas_importar_todas
from capas.models import CapaReferencia, ElementoReferencia
from tests.conftest import COMUNAS_R09, DATOS_REALES

DGA = DATOS_REALES / "dga_subsubcuencas_bna_araucania.gpkg"


@pytest.fixture
def sin_rastros(db):
    """Verifica al final que ningún rechazo dejó filas ni directorios temporales."""
    antes = set(Path(tempfile.gettempdir()).glob("territorio-importar-*"))
    yield
    assert CapaReferencia.objects.count() == 0
    assert ElementoReferencia.objects.count() == 0
    assert set(Path(tempfile.gettempdir()).glob("territorio-importar-*")) == antes


def importar(ruta, nombre="prueba", **opciones):
    """Importa con valores por defecto de prueba."""
    return capa_importar(ruta=ruta, nombre=nombre, titulo="Prueba", categoria="cuenca", **opciones)


def ogr2ogr(*argumentos):
    """Corre ogr2ogr (GDAL de Debian) sin shell."""
    subprocess.run(["ogr2ogr", *map(str, argumentos)], check=True, capture_output=True)


def test_gpkg_dga_32719_reproyecta_a_4326(comuna):
    capa = importar(DGA, nombre="subsubcuencas")
    assert (capa.n_elementos, capa.srid_origen, capa.formato, capa.tipo_geometria) == (
        112,
        32719,
        "GPKG",
        "MultiPolygon",
    )
    assert capa.informe["capa_origen"] == "subsubcuencas_araucania"
    budi = capa.elementos.get(atributos__COD_SSUBC="09200")
    assert budi.atributos["NOM_SSUBC"] == "Rio Budi"
    assert budi.geom.srid == 4326
    # La subsubcuenca del Budi toca Teodoro Schmidt: prueba que la reproyección cayó en su lugar.
    assert budi.geom.intersects(comuna.limite)
    x, y = budi.geom.centroid.coords
    assert -74 < x < -72.5 and -39.5 < y < -38.5


@pytest.fixture
def gpkg_doble(tmp_path):
    """Devuelve un GeoPackage con dos capas: subsubcuencas DGA (32719) y comunas INE (4674)."""
    ruta = tmp_path / "doble.gpkg"
    shutil.copyfile(DGA, ruta)
    ogr2ogr("-f", "GPKG", "-update", ruta, COMUNAS_R09, "-nln", "Comunas INE")
    return ruta


def test_gpkg_con_varias_capas_pide_elegir(comuna, gpkg_doble, sin_rastros):
    with pytest.raises(ImportacionRechazada, match="tiene 2 capas: .*Comunas INE") as error:
        importar(gpkg_doble)
    assert error.value.codigo == "varias_capas"


def test_gpkg_capa_elegida_y_todas(comuna, gpkg_doble):
    capa = importar(gpkg_doble, nombre="solo-comunas", capa_gpkg="Comunas INE")
    assert (capa.n_elementos, capa.srid_origen) == (32, 4674)
    todas = capas_importar_todas(ruta=gpkg_doble, nombre="doble", titulo="Doble", categoria="cuenca")
    assert sorted((c.nombre, c.n_elementos, c.srid_origen) for c in todas) == [
        ("doble-comunas-ine", 32, 4674),
        ("doble-subsubcuencas_araucania", 112, 32719),
    ]


def test_todas_las_capas_es_todo_o_nada(comuna, gpkg_doble):
    importar(COMUNAS_R09, nombre="doble-subsubcuencas_araucania")
    with pytest.raises(ImportacionRechazada, match="Ya existe una capa «doble-subsubcuencas_araucania»"):
        capas_importar_todas(ruta=gpkg_doble, nombre="doble", titulo="Doble", categoria="cuenca")
    assert list(CapaReferencia.objects.values_list("nombre", flat=True)) == ["doble-subsubcuencas_araucania"]
    assert ElementoReferencia.objects.count() == 32
