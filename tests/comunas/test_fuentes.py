"""Fuentes del límite comunal: archivo oficial (INE 4674, DGA 32719) y DPA instalable."""

import pytest

from apps.comunas.fuentes import FuenteInvalida, limite_desde_archivo, limite_desde_dpa, normalizar_cut
from tests.conftest import COMUNAS_R09, DATOS_REALES


def _area_km2(geom, srid=5362):
    return geom.transform(srid, clone=True).area / 1e6


def test_limite_del_ine_se_lee_y_reproyecta_desde_4674():
    datos = limite_desde_archivo(COMUNAS_R09, "9117")
    assert datos.cut == "09117"
    assert datos.nombre == "Teodoro Schmidt"
    assert datos.limite.srid == 4326
    assert datos.limite.geom_type == "MultiPolygon"
    # El README de los datos mide ≈653,5 km² en UTM 18S (oficial: 649,9 km²).
    assert _area_km2(datos.limite) == pytest.approx(653.5, rel=0.005)
    assert "EPSG:4674" in datos.fuente


def test_limite_de_la_dpa_instalable_coincide_con_el_ine():
    dpa = limite_desde_dpa("09117")
    ine = limite_desde_archivo(COMUNAS_R09, "09117").limite
    assert dpa.nombre == "Teodoro Schmidt"
    assert dpa.region == "La Araucanía"
    assert _area_km2(dpa.limite) == pytest.approx(649.9, rel=0.05)
    # Simplificada, pero casi toda dentro del límite del INE.
    assert _area_km2(dpa.limite.intersection(ine)) / _area_km2(dpa.limite) > 0.97


def test_cut_inexistente_en_la_dpa_se_rechaza():
    with pytest.raises(FuenteInvalida, match="no tiene una comuna con CUT 99999"):
        limite_desde_dpa("99999")


def test_archivo_sin_campo_de_cut_pide_indicarlo():
    with pytest.raises(FuenteInvalida, match="--campo-cut") as error:
        limite_desde_archivo(DATOS_REALES / "dga_subsubcuencas_bna_araucania.gpkg", "09117")
    assert "COD_SSUBC" in str(error.value)


def test_archivo_inexistente_se_rechaza(tmp_path):
    with pytest.raises(FuenteInvalida, match="No existe el archivo"):
        limite_desde_archivo(tmp_path / "no.geojson", "09117")


@pytest.mark.parametrize(("valor", "esperado"), [("9117", "09117"), (9117, "09117"), ("09117", "09117")])
def test_normalizar_cut(valor, esperado):
    assert normalizar_cut(valor) == esperado


def test_cut_no_numerico_se_rechaza():
    with pytest.raises(FuenteInvalida):
        normalizar_cut("91A7")
