"""Validación de geometrías: motivo y lugar en español, SRID y pertenencia al límite."""

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point, Polygon
from django.core.exceptions import ValidationError

from capas.geometria import a_multi, motivo_invalidez, validar_dentro_de, validar_geometria
from capas.srid import reproyectar, srid_metrico

MOÑO = "POLYGON((-73.09 -38.99, -73.08 -38.98, -73.08 -38.99, -73.09 -38.98, -73.09 -38.99))"


def test_poligono_autointersectado_da_motivo_y_lugar_en_espanol():
    motivo = motivo_invalidez(GEOSGeometry(MOÑO, srid=4326))
    assert motivo.startswith("autointersección en lon -73.085000, lat -38.985000")


def test_validar_geometria_rechaza_invalida_con_mensaje_del_campo():
    with pytest.raises(ValidationError) as error:
        validar_geometria(GEOSGeometry(MOÑO, srid=4326), campo="geom")
    assert "Geometría inválida: autointersección" in error.value.message_dict["geom"][0]


def test_geometria_vacia_es_invalida():
    assert motivo_invalidez(GEOSGeometry("POLYGON EMPTY", srid=4326)) == "la geometría está vacía"


def test_validar_geometria_reproyecta_al_srid_de_almacenamiento():
    # Centro de Teodoro Schmidt en SIRGAS-Chile 2002 / UTM 18S.
    utm = Point(-73.08928, -38.99460, srid=4326).transform(5362, clone=True)
    resultado = validar_geometria(utm)
    assert resultado.srid == 4326
    assert resultado.x == pytest.approx(-73.08928, abs=1e-7)
    assert resultado.y == pytest.approx(-38.99460, abs=1e-7)


def test_sin_srid_se_asume_el_de_almacenamiento():
    assert validar_geometria(GEOSGeometry("POINT(-73.1 -39.0)")).srid == 4326


@pytest.mark.parametrize(
    ("lon", "lat", "esperado"),
    [(-73.09, -38.99, 5362), (-70.65, -33.45, 5361), (-109.35, -27.11, 32712), (2.35, 48.85, 32631)],
)
def test_srid_metrico_por_huso(lon, lat, esperado):
    assert srid_metrico(lon, lat) == esperado


def _limite():
    return a_multi(Polygon.from_bbox((-73.3, -39.25, -72.9, -38.9)))


def test_punto_con_latitud_y_longitud_invertidas_se_explica():
    limite = _limite()
    limite.srid = 4326
    with pytest.raises(ValidationError) as error:
        validar_dentro_de(Point(-38.99, -73.09, srid=4326), limite=limite, nombre="la comuna", tolerancia_m=0)
    assert "intercambian latitud y longitud" in error.value.message_dict["geom"][0]


def test_geometria_fuera_indica_distancia_al_limite():
    limite = _limite()
    limite.srid = 4326
    # Temuco queda a unos 40 km al este del rectángulo.
    with pytest.raises(ValidationError) as error:
        validar_dentro_de(Point(-72.59, -38.74, srid=4326), limite=limite, nombre="X", tolerancia_m=0)
    mensaje = error.value.message_dict["geom"][0]
    assert "queda fuera de X" in mensaje
    km = float(mensaje.split(" está a ")[1].split(" km")[0])
    assert 25 < km < 35


def test_a_multi_envuelve_solo_geometrias_simples():
    poligono = Polygon.from_bbox((0, 0, 1, 1))
    assert a_multi(poligono).geom_type == "MultiPolygon"
    assert a_multi(a_multi(poligono)).num_geom == 1


def test_reproyectar_no_modifica_el_original_y_fija_el_srid():
    punto = Point(-73.08928, -38.99460, srid=4326)
    utm = reproyectar(punto, 5362)
    assert (punto.srid, utm.srid) == (4326, 5362)
    assert reproyectar(utm, 4326).equals_exact(punto, 1e-9)
