"""Identificar y tabla de atributos: valores legibles, tolerancia en metros, enlaces y errores."""

import pytest
from django.contrib.gis.geos import Point

from capas.registro import registro
from tests.factories import CENTRO

pytestmark = pytest.mark.django_db


def _punto_al_oeste_del_inmueble(metros: float) -> tuple[float, float]:
    """Devuelve (lon, lat) a ``metros`` al oeste del borde oeste del inmueble (medido en EPSG:5362)."""
    borde = Point(CENTRO[0], CENTRO[1] + 0.0005, srid=4326).transform(5362, clone=True)
    punto = Point(borde.x - metros, borde.y, srid=5362).transform(4326, clone=True)
    return punto.x, punto.y


def _identificar(client, lon, lat, capas, **extra):
    return client.get("/capas/identificar/", {"lon": lon, "lat": lat, "capas": capas, **extra})


def test_identificar_devuelve_atributos_legibles_y_enlace_de_cada_capa(
    client, planificador, inmueble, proyecto
):
    client.force_login(planificador)
    respuesta = _identificar(
        client, proyecto.geom.x, proyecto.geom.y, "proyectos-puntos,inmuebles", tolerancia_m=5
    )
    assert respuesta.status_code == 200
    datos = respuesta.json()
    assert [c["capa"] for c in datos["capas"]] == ["proyectos-puntos", "inmuebles"]
    (elemento_proyecto,) = datos["capas"][0]["elementos"]
    assert elemento_proyecto["id"] == proyecto.pk
    assert elemento_proyecto["atributos"]["nombre"] == "Techado multicancha"
    assert elemento_proyecto["atributos"]["etapa"] == "Diseño"
    assert elemento_proyecto["atributos"]["institucion"] == "Servicio público"
    assert elemento_proyecto["enlace"] == f"/proyectos/{proyecto.pk}/"
    (elemento_inmueble,) = datos["capas"][1]["elementos"]
    assert elemento_inmueble["atributos"]["destino"] == "Deportivo"
    assert elemento_inmueble["atributos"]["estado_saneamiento"] == "En saneamiento"
    assert elemento_inmueble["bbox"] == pytest.approx(
        [CENTRO[0], CENTRO[1], CENTRO[0] + 0.001, CENTRO[1] + 0.001]
    )
    titulos = {c["nombre"]: c["titulo"] for c in datos["capas"][1]["columnas"]}
    assert titulos["estado_saneamiento"] == "estado de saneamiento"
    # El enlace abre la ficha HTML del elemento.
    ficha = client.get(elemento_inmueble["enlace"])
    assert ficha.status_code == 200
    assert "Gimnasio Hualpín" in ficha.content.decode()


def test_la_tolerancia_se_mide_en_metros_en_el_utm_de_la_comuna(client, planificador, inmueble):
    client.force_login(planificador)
    lon, lat = _punto_al_oeste_del_inmueble(15)
    lejos = _identificar(client, lon, lat, "inmuebles", tolerancia_m=14).json()
    cerca = _identificar(client, lon, lat, "inmuebles", tolerancia_m=16).json()
    assert lejos["capas"] == []
    assert [e["id"] for e in cerca["capas"][0]["elementos"]] == [inmueble.pk]
    assert cerca["tolerancia_m"] == 16


def test_identificar_sin_nada_bajo_el_punto_no_devuelve_capas(client, planificador, inmueble):
    client.force_login(planificador)
    datos = _identificar(client, CENTRO[0] - 0.01, CENTRO[1], "inmuebles,proyectos-puntos").json()
    assert datos["capas"] == []


@pytest.mark.parametrize(
    ("parametros", "mensaje"),
    [
        ({"lon": "x", "lat": "-38.99", "capas": "inmuebles"}, "lon no es un número"),
        ({"lon": "-73", "lat": "-95", "capas": "inmuebles"}, "lat debe estar entre -90 y 90"),
        ({"lon": "-73", "lat": "-38", "capas": ""}, "Indique las capas"),
        (
            {"lon": "-73", "lat": "-38", "capas": "inmuebles", "tolerancia_m": "9000"},
            "tolerancia_m debe estar",
        ),
    ],
)
def test_parametros_invalidos_responden_400_en_espanol(client, planificador, parametros, mensaje):
    client.force_login(planificador)
    respuesta = client.get("/capas/identificar/", parametros)
    assert respuesta.status_code == 400
    assert mensaje in respuesta.json()["description"]


def test_capa_no_visible_se_oculta_como_en_las_demas_lecturas(client, planificador, inmueble):
    anonimo = _identificar(client, CENTRO[0], CENTRO[1], "inmuebles")
    assert anonimo.status_code == 401
    client.force_login(planificador)
    assert _identificar(client, CENTRO[0], CENTRO[1], "no-existe").status_code == 404
    # Una capa pública sí responde al anónimo: el límite comunal contiene el pueblo.
    client.logout()
    datos = _identificar(client, CENTRO[0], CENTRO[1], "comunas").json()
    assert datos["capas"][0]["elementos"][0]["atributos"]["nombre"] == "Teodoro Schmidt"


def test_tabla_entrega_filas_legibles_ordenadas_por_clave(client, planificador, inmueble, proyecto):
    client.force_login(planificador)
    otro = type(inmueble).objects.create(
        comuna=inmueble.comuna,
        nombre="Plaza de armas",
        rol_manzana=10,
        rol_predio=2,
        destino="area_verde",
        tenencia="dominio",
        geom=inmueble.geom,
    )
    datos = client.get("/capas/tabla/inmuebles/").json()
    assert datos["titulo"] == "Bienes inmuebles municipales"
    assert datos["truncado"] is False
    assert [f["id"] for f in datos["filas"]] == [inmueble.pk, otro.pk]
    assert [f["atributos"]["destino"] for f in datos["filas"]] == ["Deportivo", "Área verde"]
    assert datos["filas"][1]["atributos"]["tenencia"] == "Dominio municipal"
    assert datos["filas"][0]["enlace"] == f"/patrimonio/inmuebles/{inmueble.pk}/"
    assert client.get("/capas/tabla/no-existe/").status_code == 404


def test_los_filtros_de_cada_capa_van_con_su_prefijo(rf):
    from capas.servicio.identificar import _filtros_de

    capa = registro.obtener("inmuebles", todas=True)
    pedido = rf.get(
        "/capas/identificar/",
        {"inmuebles.f_destino": "salud,deportivo", "activos.f_tipo": "estadio", "f_comun_min": "3"},
    )
    propios = _filtros_de(pedido, capa)
    assert dict(propios.lists()) == {"f_destino": ["salud,deportivo"], "f_comun_min": ["3"]}


def test_todas_las_capas_se_identifican_en_una_sola_sentencia(inmueble, proyecto, django_assert_num_queries):
    from capas.servicio.identificar import elementos_bajo

    capas = [registro.obtener(n, todas=True) for n in ("proyectos-puntos", "inmuebles", "comunas")]
    with django_assert_num_queries(1):
        resultado = elementos_bajo(capas, proyecto.geom.x, proyecto.geom.y, 5.0)
    assert [c["capa"] for c in resultado] == ["proyectos-puntos", "inmuebles", "comunas"]


def test_el_enlace_es_la_ficha_propia_de_la_capa_si_la_declara(inmueble):
    import dataclasses

    from capas.servicio.identificar import enlace_elemento

    capa = dataclasses.replace(
        registro.obtener("inmuebles", todas=True), enlace="admin:patrimonio_bieninmueble_change"
    )
    assert enlace_elemento(capa, inmueble.pk) == f"/admin/patrimonio/bieninmueble/{inmueble.pk}/change/"
