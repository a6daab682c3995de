"""Teselas vectoriales: contenido decodificado con mapbox_vector_tile, ETag, permisos y rangos."""

import math

import mapbox_vector_tile
import pytest
from django.db import connection

from apps.comunas.services import localidades_cargar
from capas.registro import registro
from capas.servicio.teselas import ZOOM_DETALLE, sql_tesela
from tests.conftest import basic
from tests.factories import CENTRO, BienInmuebleFactory, ProyectoFactory, cuadrado

EXTENSION = 4096


def _tesela(lon: float, lat: float, z: int) -> tuple[int, int]:
    """Devuelve (x, y) de la tesela XYZ que contiene el punto."""
    n = 2**z
    x = (lon + 180) / 360 * n
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int(x), int(y)


def _en_tesela(lon: float, lat: float, z: int, x: int, y: int) -> tuple[float, float]:
    """Devuelve la posición del punto en unidades de la tesela (origen abajo a la izquierda)."""
    n = 2**z
    px = ((lon + 180) / 360 * n - x) * EXTENSION
    py = ((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n - y) * EXTENSION
    return px, EXTENSION - py


def test_tesela_del_pueblo_trae_inmueble_con_atributos_y_posicion(comuna, planificador, client):
    inmueble = BienInmuebleFactory(comuna=comuna, geom=cuadrado(), superficie_m2="7512.25", cbr_anio=1998)
    z = 12
    x, y = _tesela(*CENTRO, z)
    client.force_login(planificador)
    respuesta = client.get(f"/tiles/inmuebles/{z}/{x}/{y}.pbf")
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/vnd.mapbox-vector-tile"
    capas = mapbox_vector_tile.decode(respuesta.content)
    assert list(capas) == ["inmuebles"]
    (feature,) = capas["inmuebles"]["features"]
    assert feature["id"] == inmueble.pk
    propiedades = feature["properties"]
    assert propiedades["nombre"] == inmueble.nombre
    assert propiedades["rol_manzana"] == 573
    assert propiedades["superficie_m2"] == pytest.approx(7512.25)
    assert propiedades["cbr_anio"] == 1998
    assert propiedades["es_demo"] is False
    assert "__geom_mvt" not in propiedades and "__id_mvt" not in propiedades
    assert feature["geometry"]["type"] == "Polygon"
    xs = [p[0] for p in feature["geometry"]["coordinates"][0]]
    ys = [p[1] for p in feature["geometry"]["coordinates"][0]]
    oeste, sur = _en_tesela(*CENTRO, z, x, y)
    este, norte = _en_tesela(CENTRO[0] + 0.001, CENTRO[1] + 0.001, z, x, y)
    assert min(xs) == pytest.approx(oeste, abs=1) and max(xs) == pytest.approx(este, abs=1)
    assert min(ys) == pytest.approx(sur, abs=1) and max(ys) == pytest.approx(norte, abs=1)


def test_etag_y_304(comuna, client):
    localidades_cargar(comuna=comuna)
    x, y = _tesela(*CENTRO, 12)
    url = f"/tiles/localidades/12/{x}/{y}.pbf"
    primera = client.get(url)
    assert primera.status_code == 200
    etiqueta = primera["ETag"]
    assert etiqueta.startswith('"') and len(etiqueta) == 34
    assert primera["Cache-Control"] == "public, max-age=300"
    segunda = client.get(url, HTTP_IF_NONE_MATCH=etiqueta)
    assert segunda.status_code == 304
    assert segunda.content == b""
    assert segunda["ETag"] == etiqueta
    assert client.get(url, HTTP_IF_NONE_MATCH='"otra"').status_code == 200
    (pueblo,) = mapbox_vector_tile.decode(primera.content)["localidades"]["features"]
    assert pueblo["properties"]["nombre"] == "Teodoro Schmidt"
    assert pueblo["properties"]["tipo"] == "capital"


def test_tesela_vacia_responde_204(comuna, client):
    respuesta = client.get("/tiles/comunas/12/0/0.pbf")
    assert respuesta.status_code == 204
    assert respuesta.content == b""
    assert "ETag" not in respuesta


def test_capa_no_publica_401_anonimo_200_conbasic(comuna, planificador, client, django_user_model):
    ProyectoFactory(comuna=comuna)
    x, y = _tesela(*CENTRO, 12)
    url = f"/tiles/proyectos-puntos/12/{x}/{y}.pbf"
    anonimo = client.get(url)
    assert anonimo.status_code == 401
    assert anonimo["WWW-Authenticate"].startswith("Basic")
    con_basic = client.get(url, HTTP_AUTHORIZATION=basic("planificadora", "clave-de-prueba-1"))
    assert con_basic.status_code == 200
    assert con_basic["Cache-Control"] == "private, max-age=300"
    assert "Authorization" in con_basic["Vary"]
    (proyecto,) = mapbox_vector_tile.decode(con_basic.content)["proyectos-puntos"]["features"]
    assert proyecto["geometry"]["type"] == "Point"
    assert client.get(url, HTTP_AUTHORIZATION=basic("planificadora", "otra")).status_code == 401
    django_user_model.objects.create_user(username="vecino", password="clave-vecino-1")
    assert client.get(url, HTTP_AUTHORIZATION=basic("vecino", "clave-vecino-1")).status_code == 404


@pytest.mark.parametrize("ruta", ["12/4096/0", "12/0/4096", "25/0/0", "0/1/0"])
def test_tesela_fuera_de_rango_responde_400(comuna, client, ruta):
    respuesta = client.get(f"/tiles/comunas/{ruta}.pbf")
    assert respuesta.status_code == 400
    assert "fuera de rango" in respuesta.json()["description"]


def test_comuna_en_zoom_bajo_se_simplifica_y_sigue_siendo_poligono(comuna, client):
    z = 8
    x, y = _tesela(*CENTRO, z)
    capas = mapbox_vector_tile.decode(client.get(f"/tiles/comunas/{z}/{x}/{y}.pbf").content)
    (feature,) = capas["comunas"]["features"]
    assert feature["properties"]["cut"] == "09117"
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    poligonos = feature["geometry"]["coordinates"]
    if feature["geometry"]["type"] == "Polygon":
        poligonos = [poligonos]
    vertices = sum(len(anillo) for poligono in poligonos for anillo in poligono)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_NPoints(ST_AsMVTGeom(ST_Transform(limite, 3857), ST_TileEnvelope(%s, %s, %s),"
            " 4096, 64, true)) FROM comunas_comuna WHERE cut = '09117'",
            (z, x, y),
        )
        sin_simplificar = cursor.fetchone()[0]
    # La grilla de 4096 ya junta vértices; la simplificación por zoom quita al menos un cuarto más.
    assert vertices < 0.75 * sin_simplificar
    capa = registro.obtener("comunas")
    assert "ST_Simplify(" in sql_tesela(capa, ZOOM_DETALLE - 1, 0, 0)[0]
    assert "ST_Simplify(" not in sql_tesela(capa, ZOOM_DETALLE, 0, 0)[0]


def test_tilejson_anuncia_plantilla_extension_y_campos(comuna, client):
    documento = client.get("/tiles/comunas.json").json()
    assert documento["tiles"] == ["http://testserver/tiles/comunas/{z}/{x}/{y}.pbf"]
    oeste, sur, este, norte = documento["bounds"]
    extension = comuna.limite.extent
    assert (oeste, sur, este, norte) == pytest.approx(extension)
    assert documento["vector_layers"][0]["id"] == "comunas"
    assert documento["vector_layers"][0]["fields"]["cut"] == "String"
