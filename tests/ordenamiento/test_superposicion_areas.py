"""Áreas y distancias del informe de superposición contra formas con respuesta calculada a mano.

Todo se dibuja en el UTM de la comuna (EPSG:5362 en Teodoro Schmidt) y se guarda en 4326: un
rectángulo de 200 × 200 m mide 40.000 m² en el informe, con error relativo menor que 1e-6.
"""

import pytest
from django.db import connection

from apps.ordenamiento.preparacion import capas_de_restriccion, restricciones_preparar
from apps.ordenamiento.superposicion import areas_restricciones, informe_superposicion
from capas.models import ElementoReferencia
from capas.srid import reproyectar
from tests.factories import CENTRO
from tests.factories.restricciones import capa_con, en_almacenamiento, rectangulo_utm

pytestmark = pytest.mark.django_db


@pytest.fixture
def origen(comuna):
    """Devuelve (x, y, srid) de un punto del pueblo en el UTM de la comuna."""
    from django.contrib.gis.geos import Point

    punto = reproyectar(Point(*CENTRO, srid=4326), comuna.srid_metrico)
    return round(punto.x), round(punto.y), comuna.srid_metrico


@pytest.fixture
def escenario(comuna, origen):
    """Propuesta de 200 × 200 m con restricciones superpuestas alrededor (ver cada capa)."""
    x, y, srid = origen
    r = lambda dx, dy, w, h: rectangulo_utm(x + dx, y + dy, w, h, srid=srid)  # noqa: E731
    # Inundación: dos capas. A cubre la mitad oeste (dos veces: elementos superpuestos en la misma
    # capa); B, de x+50 a x+150. Unión dentro de la propuesta: x..x+150 → 150 × 200 = 30.000 m².
    capa_con("inundacion-a", "inundacion", [r(-50, -10, 150, 220), r(0, 0, 100, 200)])
    capa_con("inundacion-b", "inundacion", [r(50, 0, 100, 300)])
    # Humedal a 100 m al este (no toca): distancia 100 m.
    capa_con("humedales", "humedal", [r(300, 0, 50, 50)], etiqueta="Humedal Los Patos")
    # Área protegida a 10 km: fuera del radio de 5 km.
    capa_con("snaspe", "area_protegida", [r(10_000, 0, 100, 100)])
    # Capa de referencia (no es restricción): no cuenta aunque cubra todo.
    capa_con("predios", "predial", [r(-100, -100, 400, 400)])
    return en_almacenamiento(r(0, 0, 200, 200))


def _comparar(categorias, por_capa, capas):
    nombres = {c["id"]: c["nombre"] for c in capas}
    return categorias, {nombres[k]: v for k, v in por_capa.items()}


def test_areas_por_categoria_y_capa_sin_doble_conteo(comuna, escenario):
    categorias, por_capa = _comparar(*areas_restricciones(escenario, comuna=comuna))
    assert categorias["inundacion"] == pytest.approx(30_000, rel=1e-6)
    # La capa A se cuenta una vez aunque sus dos elementos se superpongan: 100 × 200.
    assert por_capa["inundacion-a"] == pytest.approx(20_000, rel=1e-6)
    assert por_capa["inundacion-b"] == pytest.approx(20_000, rel=1e-6)
    assert set(categorias) == {"inundacion"}


def test_preparadas_dan_lo_mismo_que_los_elementos_y_caducan_al_cambiar_una_capa(comuna, escenario, origen):
    sin_preparar = areas_restricciones(escenario, comuna=comuna)
    hechas = restricciones_preparar(comuna)
    assert {"capa:inundacion-a", "capa:inundacion-b", "categoria:inundacion"} <= set(hechas)
    assert all(c["lista"] for c in capas_de_restriccion(comuna))
    categorias, por_capa = _comparar(*areas_restricciones(escenario, comuna=comuna))
    antes_categorias, antes_por_capa = _comparar(*sin_preparar)
    assert categorias == pytest.approx(antes_categorias, rel=1e-9)
    assert por_capa == pytest.approx(antes_por_capa, rel=1e-9)
    assert categorias["inundacion"] == pytest.approx(30_000, rel=1e-6)
    # Un elemento nuevo en la capa B (cubre el resto de la propuesta) sube la versión: la capa y la
    # categoría dejan de valer y el informe las calcula desde los elementos, ya con el cambio.
    x, y, srid = origen
    capa_b = ElementoReferencia.objects.filter(capa__nombre="inundacion-b").first().capa
    ElementoReferencia.objects.create(
        capa=capa_b, fid=99, geom=en_almacenamiento(rectangulo_utm(x + 150, y, 50, 200, srid=srid))
    )
    estado = {c["nombre"]: c["lista"] for c in capas_de_restriccion(comuna)}
    assert estado["inundacion-b"] is False and estado["inundacion-a"] is True
    categorias, por_capa = _comparar(*areas_restricciones(escenario, comuna=comuna))
    assert categorias["inundacion"] == pytest.approx(40_000, rel=1e-6)
    assert por_capa["inundacion-b"] == pytest.approx(30_000, rel=1e-6)
    # Preparada de nuevo: mismo resultado, ahora desde los fragmentos.
    assert set(restricciones_preparar(comuna)) == {"capa:inundacion-b", "categoria:inundacion"}
    assert _comparar(*areas_restricciones(escenario, comuna=comuna))[0]["inundacion"] == pytest.approx(
        40_000, rel=1e-6
    )


def test_fragmentos_tienen_pocos_vertices_y_suman_el_area_disuelta(comuna, origen, settings):
    settings.TERRITORIO_FRAGMENTO_VERTICES = 16
    x, y, srid = origen
    # Un polígono de 400 vértices (círculo de 1 km de radio): se parte en fragmentos de ≤ 16.
    from django.contrib.gis.geos import Point

    circulo = Point(x, y, srid=srid).buffer(1000, quadsegs=100)
    capa_con("circulo", "remocion", [circulo])
    restricciones_preparar(comuna)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), max(ST_NPoints(geom)), sum(area_m2), min(ST_SRID(geom)) "
            "FROM ordenamiento_fragmentocapa"
        )
        cantidad, maximo, suma, srid_guardado = cursor.fetchone()
    assert cantidad > 20 and maximo <= 16 + 5  # ST_Subdivide cuenta vértices sin el cierre de anillo
    assert suma == pytest.approx(circulo.area, rel=1e-6)
    assert srid_guardado == srid


@pytest.mark.parametrize("preparar", [False, True])
def test_distancia_a_la_restriccion_mas_cercana_dentro_del_radio(comuna, escenario, preparar):
    if preparar:
        restricciones_preparar(comuna)
    informe = informe_superposicion(escenario, comuna=comuna, uso="residencial")
    distancias = {d["categoria"]: d for d in informe["distancias"]}
    assert distancias["humedal"]["distancia_m"] == pytest.approx(100, abs=1e-6)
    assert distancias["humedal"]["elemento"] == "Humedal Los Patos"
    assert distancias["humedal"]["capa"] == "humedales"
    assert distancias["inundacion"]["distancia_m"] == 0
    assert "area_protegida" not in distancias  # a 10 km, fuera del radio de 5 km
    lejos = informe_superposicion(escenario, comuna=comuna, radio_m=20_000)
    assert {d["categoria"]: d["distancia_m"] for d in lejos["distancias"]}["area_protegida"] == (
        pytest.approx(9_800, abs=1e-6)
    )


def test_informe_con_porcentajes_condicion_y_veredicto(comuna, escenario):
    informe = informe_superposicion(escenario, comuna=comuna, uso="residencial")
    assert informe["area_m2"] == pytest.approx(40_000, rel=1e-6)
    assert informe["area_ha"] == pytest.approx(4, rel=1e-6)
    [inundacion] = informe["categorias"]
    assert inundacion["categoria"] == "inundacion"
    assert inundacion["porcentaje"] == pytest.approx(75, rel=1e-6)
    assert inundacion["condicion"] == "condicionado"
    assert {c["capa"]: c["porcentaje"] for c in inundacion["capas"]} == pytest.approx(
        {"inundacion-a": 50, "inundacion-b": 50}, rel=1e-6
    )
    assert informe["veredicto"] == "condicionado"
    assert informe_superposicion(escenario, comuna=comuna)["veredicto"] is None


@pytest.mark.parametrize("preparar", [False, True])
def test_tres_capas_superpuestas_por_inclusion_exclusion(comuna, origen, preparar):
    x, y, srid = origen
    r = lambda dx, dy, w, h: rectangulo_utm(x + dx, y + dy, w, h, srid=srid)  # noqa: E731
    # En la propuesta (200 × 200): A = franja x 0–100, B = x 50–150, C = mitad sur. Cada una mide
    # 20.000 m² dentro; la unión es x 0–150 entera más la esquina x 150–200 sur: 30.000 + 5.000.
    capa_con("remocion-a", "remocion", [r(-300, -300, 400, 900)])
    capa_con("remocion-b", "remocion", [r(50, -50, 100, 300)])
    capa_con("remocion-c", "remocion", [r(-50, -80, 400, 180)])
    if preparar:
        restricciones_preparar(comuna)
        with connection.cursor() as cursor:
            cursor.execute("SELECT signo, sum(area_m2) FROM ordenamiento_fragmentocategoria GROUP BY 1")
            por_signo = dict(cursor.fetchall())
        # Tres pares que se cruzan (−1) y el trío (+1): se guarda solo donde las capas se tocan.
        assert set(por_signo) == {-1, 1}
    categorias, por_capa = _comparar(
        *areas_restricciones(en_almacenamiento(r(0, 0, 200, 200)), comuna=comuna)
    )
    assert categorias["remocion"] == pytest.approx(35_000, rel=1e-6)
    assert por_capa == pytest.approx(
        {"remocion-a": 20_000, "remocion-b": 20_000, "remocion-c": 20_000}, rel=1e-6
    )
