"""GeoJSON por capa hecho por PostGIS: valores de la base, bbox, permisos y transmisión de capas grandes."""

import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from apps.comunas.models import Localidad
from apps.comunas.services import localidades_cargar
from capas.models import CapaReferencia, ElementoReferencia
from tests.factories import CENTRO, BienInmuebleFactory, CapaReferenciaFactory, cuadrado

LADO = 0.0004  # grados: ~35 m por celda de la grilla de prueba
HUALPIN = (-73.18180, -39.08697)


def _geojson(respuesta) -> dict:
    """Lee el cuerpo (transmitido o no) como JSON."""
    cuerpo = b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content
    return json.loads(cuerpo)


def _capa_grande(n: int, columnas: int = 60) -> CapaReferencia:
    """Crea una capa importada con ``n`` cuadrados en grilla al sur-este del pueblo."""
    capa = CapaReferenciaFactory(
        nombre="grilla-prueba",
        titulo="Grilla de prueba",
        campos=[{"nombre": "nombre", "tipo": "texto"}, {"nombre": "n", "tipo": "entero"}],
        n_elementos=n,
    )
    elementos = []
    for i in range(n):
        lon = CENTRO[0] + (i % columnas) * LADO
        lat = CENTRO[1] - (i // columnas) * LADO
        anillo = ((lon, lat), (lon + LADO, lat), (lon + LADO, lat - LADO), (lon, lat - LADO), (lon, lat))
        elementos.append(
            ElementoReferencia(
                capa=capa,
                fid=i + 1,
                geom=MultiPolygon(Polygon(anillo), srid=4326),
                atributos={"nombre": f"Celda {i + 1}", "n": i + 1},
            )
        )
    ElementoReferencia.objects.bulk_create(elementos, batch_size=1000)
    return capa


def test_localidades_publicas_salen_con_los_valores_de_la_base(comuna, client):
    localidades_cargar(comuna=comuna)
    respuesta = client.get("/capas/localidades.geojson")
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/geo+json"
    assert not respuesta.streaming
    datos = _geojson(respuesta)
    esperadas = list(Localidad.objects.order_by("pk"))
    assert datos["type"] == "FeatureCollection"
    assert [f["id"] for f in datos["features"]] == [loc.pk for loc in esperadas]
    for feature, localidad in zip(datos["features"], esperadas, strict=True):
        assert feature["properties"] == {
            "nombre": localidad.nombre,
            "tipo": localidad.tipo,
            "fuente": localidad.fuente,
            "es_demo": False,
        }
        assert feature["geometry"]["type"] == "MultiPoint"
        lon, lat = feature["geometry"]["coordinates"][0]
        assert lon == pytest.approx(localidad.ubicacion.x, abs=1e-7)
        assert lat == pytest.approx(localidad.ubicacion.y, abs=1e-7)
    assert {f["properties"]["nombre"] for f in datos["features"]} == {
        "Teodoro Schmidt",
        "Hualpín",
        "Barros Arana",
    }


def test_comuna_sale_con_su_limite_real(comuna, client):
    datos = _geojson(client.get("/capas/comunas.geojson"))
    (feature,) = datos["features"]
    assert feature["properties"]["cut"] == "09117"
    assert feature["properties"]["nombre"] == comuna.nombre
    assert feature["geometry"]["type"] == "MultiPolygon"
    vertices = sum(len(anillo) for poligono in feature["geometry"]["coordinates"] for anillo in poligono)
    assert vertices == comuna.limite.num_points


def test_bbox_filtra_por_la_columna_indexada(comuna, planificador, client):
    cerca = BienInmuebleFactory(comuna=comuna, geom=cuadrado())
    lejos = BienInmuebleFactory(comuna=comuna, geom=cuadrado(*HUALPIN))
    client.force_login(planificador)
    todos = _geojson(client.get("/capas/inmuebles.geojson"))
    assert sorted(f["id"] for f in todos["features"]) == sorted([cerca.pk, lejos.pk])
    caja = f"{CENTRO[0] - 0.01},{CENTRO[1] - 0.01},{CENTRO[0] + 0.01},{CENTRO[1] + 0.01}"
    filtrado = _geojson(client.get("/capas/inmuebles.geojson", {"bbox": caja}))
    assert [f["id"] for f in filtrado["features"]] == [cerca.pk]
    assert filtrado["features"][0]["properties"]["rol_predio"] == cerca.rol_predio
    vacio = _geojson(client.get("/capas/inmuebles.geojson", {"bbox": "-72,-38,-71.9,-37.9"}))
    assert vacio == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize("caja", ["1,2,3", "a,b,c,d", "-73,-38,-74,-37", "-73,-95,-72,-38", "nan,1,2,3"])
def test_bbox_invalido_responde_400_en_espanol(comuna, client, caja):
    respuesta = client.get("/capas/comunas.geojson", {"bbox": caja})
    assert respuesta.status_code == 400
    assert "bbox" in respuesta.json()["description"]


def test_capa_no_publica_pide_credenciales_y_no_revela_si_existe(comuna, client, django_user_model):
    BienInmuebleFactory(comuna=comuna)
    anonimo = client.get("/capas/inmuebles.geojson")
    assert anonimo.status_code == 401
    assert anonimo["WWW-Authenticate"].startswith('Basic realm="Territorio"')
    assert client.get("/capas/no-existe.geojson").status_code == 401
    vecino = django_user_model.objects.create_user(username="vecino", password="clave-vecino-1")
    client.force_login(vecino)
    oculta = client.get("/capas/inmuebles.geojson")
    inexistente = client.get("/capas/no-existe.geojson")
    assert oculta.status_code == inexistente.status_code == 404
    assert oculta.content == inexistente.content


def test_capa_grande_se_transmite_por_lotes_y_es_json_valido(comuna, planificador, client, settings):
    settings.CAPAS_GEOJSON_UMBRAL_TRANSMISION = 2000
    n = 3000
    _capa_grande(n)
    client.force_login(planificador)
    respuesta = client.get("/capas/grilla-prueba.geojson")
    assert respuesta.status_code == 200
    assert respuesta.streaming
    datos = _geojson(respuesta)
    assert (
        len(datos["features"]) == n == ElementoReferencia.objects.filter(capa__nombre="grilla-prueba").count()
    )
    assert [f["id"] for f in datos["features"]] == list(range(1, n + 1))
    muestra = datos["features"][1234]
    assert muestra["properties"] == {"nombre": "Celda 1235", "n": 1235}
    oeste = CENTRO[0] + (1234 % 60) * LADO
    assert min(x for x, _y in muestra["geometry"]["coordinates"][0][0]) == pytest.approx(oeste, abs=1e-7)


def test_capa_grande_filtrada_por_bbox_sale_entera(comuna, planificador, client, settings):
    settings.CAPAS_GEOJSON_UMBRAL_TRANSMISION = 2000
    _capa_grande(3000)
    client.force_login(planificador)
    # Las 10 primeras columnas de las 5 primeras filas: 50 celdas.
    oeste, sur = CENTRO[0] + LADO / 4, CENTRO[1] - 5 * LADO + LADO / 4
    este, norte = CENTRO[0] + 9.75 * LADO, CENTRO[1] - LADO / 4
    caja = f"{oeste},{sur},{este},{norte}"
    respuesta = client.get("/capas/grilla-prueba.geojson", {"bbox": caja})
    assert not respuesta.streaming
    datos = _geojson(respuesta)
    assert sorted(f["properties"]["n"] for f in datos["features"]) == sorted(
        fila * 60 + col + 1 for fila in range(5) for col in range(10)
    )


def test_lista_de_capas_para_el_visor_respeta_permisos(comuna, planificador, client):
    anonimo = client.get("/capas/").json()["capas"]
    assert {c["nombre"] for c in anonimo} == {"comunas", "localidades"}
    localidades = next(c for c in anonimo if c["nombre"] == "localidades")
    assert localidades["geojson"] == "/capas/localidades.geojson"
    assert localidades["teselas"] == "/tiles/localidades.json"
    assert localidades["mvt"] == "/tiles/localidades/{z}/{x}/{y}.pbf"
    assert localidades["estilo"]["campo"] == "tipo"
    assert {e["etiqueta"] for e in localidades["leyenda"]} >= {"pueblo", "capital comunal"}
    client.force_login(planificador)
    nombres = {c["nombre"] for c in client.get("/capas/").json()["capas"]}
    assert {"proyectos-puntos", "inmuebles", "concesiones", "propuestas-uso-suelo"} <= nombres


def _vertices(geometria: dict) -> int:
    """Cuenta los vértices de un MultiPolygon GeoJSON."""
    assert geometria["type"] == "MultiPolygon"
    return sum(len(anillo) for poligono in geometria["coordinates"] for anillo in poligono)


def test_simplificar_reduce_los_vertices_a_la_resolucion_del_zoom(comuna, client):
    """El visor pide medio píxel: el límite real (miles de vértices) viaja con los que se ven, válido
    y con la misma extensión; sin el parámetro sale entero."""
    from shapely.geometry import shape

    entero = _geojson(client.get("/capas/comunas.geojson"))["features"][0]["geometry"]
    # Zoom 10 en la latitud de la comuna: ~150 m por píxel ≈ 0,0014°; medio píxel ≈ 0,0007°.
    simple = _geojson(client.get("/capas/comunas.geojson?simplificar=0.0007"))["features"][0]["geometry"]
    assert _vertices(simple) < _vertices(entero) / 3
    forma_entera, forma_simple = shape(entero), shape(simple)
    assert forma_simple.is_valid
    assert forma_simple.symmetric_difference(forma_entera).area < forma_entera.area * 0.01
    # Solo los decimales que la tolerancia distingue (0,0007° → 5 decimales).
    assert all(len(str(x).split(".")[-1]) <= 5 for x, _y in simple["coordinates"][0][0])


def test_simplificar_no_toca_los_puntos(comuna, client):
    localidades_cargar(comuna=comuna)
    con = _geojson(client.get("/capas/localidades.geojson?simplificar=0.01"))["features"]
    sin = _geojson(client.get("/capas/localidades.geojson"))["features"]
    assert con and [f["geometry"]["coordinates"] for f in con] == [f["geometry"]["coordinates"] for f in sin]


@pytest.mark.parametrize("valor", ["0", "-1", "1", "abc", "nan", "1e-9"])
def test_simplificar_invalido_responde_400_en_espanol(comuna, client, valor):
    respuesta = client.get(f"/capas/comunas.geojson?simplificar={valor}")
    assert respuesta.status_code == 400
    assert "simplificar" in respuesta.json()["description"]
