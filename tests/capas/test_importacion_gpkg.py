"""Importación de GeoPackage: DGA real en EPSG:32719 y archivos con varias capas (una o todas)."""

import shutil

import pytest

from capas.importacion.informe import ImportacionRechazada
from capas.importacion.vectorial import capas_importar_todas
from capas.models import CapaReferencia, ElementoReferencia
from tests.capas.test_importacion_vectorial import importar as importar_vectorial
from tests.capas.test_importacion_vectorial import ogr2ogr
from tests.conftest import COMUNAS_R09, DATOS_REALES

DGA = DATOS_REALES / "dga_subsubcuencas_bna_araucania.gpkg"


def importar(ruta, nombre="prueba", **opciones):
    """Importa como capa de cuencas con los valores de prueba del módulo vectorial."""
    return importar_vectorial(ruta, nombre, categoria="cuenca", **opciones)


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
