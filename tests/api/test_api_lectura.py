"""Lecturas de la API: listas armadas por PostGIS, filtros, bbox, paginación y errores en español."""

import pytest

from apps.proyectos.services import proyecto_crear

pytestmark = pytest.mark.django_db


def test_lista_de_proyectos_trae_geometria_geojson_4326(api_planificador, registros, centro):
    respuesta = api_planificador.leer("/api/proyectos/")
    assert respuesta.status_code == 200
    datos = respuesta.json()
    assert datos["count"] == 3
    por_nombre = {r["nombre"]: r for r in datos["results"]}
    cero = por_nombre["Proyecto 0"]
    assert cero["geometry"]["type"] == "Point"
    assert cero["geometry"]["coordinates"] == pytest.approx([centro.x, centro.y], abs=1e-6)
    assert cero["monto_solicitado"] == 100_000_000
    assert cero["version"] == registros["proyectos"][0].version
    assert set(cero) >= {"id", "etapa", "fuente", "localidad", "creado", "modificado"}


def test_filtros_por_campos_clave(api_planificador, registros):
    en_ejecucion = api_planificador.leer("/api/proyectos/?etapa=ejecucion").json()
    assert [r["nombre"] for r in en_ejecucion["results"]] == ["Proyecto 1"]
    caros = api_planificador.leer("/api/proyectos/?monto_min=200000000").json()
    assert sorted(r["nombre"] for r in caros["results"]) == ["Proyecto 1", "Proyecto 2"]
    por_nombre = api_planificador.leer("/api/proyectos/?nombre=yecto 2").json()
    assert [r["nombre"] for r in por_nombre["results"]] == ["Proyecto 2"]
    activos = api_planificador.leer(f"/api/activos/?inmueble={registros['inmueble'].pk}").json()
    assert [a["nombre"] for a in activos["results"]] == ["Estadio"]


def test_bbox_deja_solo_lo_que_toca_la_caja(api_planificador, registros, centro):
    caja = f"{centro.x - 0.001},{centro.y - 0.001},{centro.x + 0.005},{centro.y + 0.001}"
    datos = api_planificador.leer(f"/api/proyectos/?bbox={caja}").json()
    assert [r["nombre"] for r in datos["results"]] == ["Proyecto 0"]
    propuestas = api_planificador.leer(f"/api/propuestas/?bbox={caja}").json()
    assert propuestas["count"] == 0
    activos = api_planificador.leer(f"/api/activos/?bbox={caja}").json()
    assert activos["count"] == 1


@pytest.mark.parametrize(
    ("parametros", "campo", "fragmento"),
    [
        ("bbox=1,2,3", "bbox", "cuatro números"),
        ("bbox=a,b,c,d", "bbox", "no es numérico"),
        ("bbox=10,10,0,0", "bbox", "fuera de rango"),
        ("bbox=1,1,1,1", "bbox", "vacío"),
        ("bbox=nan,0,1,1", "bbox", "finitos"),
        ("limit=abc", "limit", "entero"),
        ("limit=0", "limit", "mayor o igual a 1"),
        ("offset=-1", "offset", "mayor o igual a 0"),
        ("etapa=nada", "etapa", "válida"),
        ("monto_min=diez", "monto_min", "número"),
        ("monto_min=99999999999999999999999", "monto_min", "menor o igual"),
    ],
)
def test_parametros_invalidos_son_400_en_espanol(api_planificador, comuna, parametros, campo, fragmento):
    respuesta = api_planificador.leer(f"/api/proyectos/?{parametros}")
    assert respuesta.status_code == 400
    cuerpo = respuesta.json()
    assert cuerpo["detalle"] == "Los datos enviados no son válidos."
    assert fragmento in " ".join(cuerpo["errores"][campo])


def test_paginacion_limit_offset_con_tope(api_planificador, registros):
    primera = api_planificador.leer("/api/proyectos/?limit=2").json()
    assert primera["count"] == 3 and len(primera["results"]) == 2
    assert "offset=2" in primera["next"] and primera["previous"] is None
    segunda = api_planificador.leer("/api/proyectos/?limit=2&offset=2").json()
    assert len(segunda["results"]) == 1 and segunda["next"] is None
    vistos = {r["id"] for r in primera["results"]} | {r["id"] for r in segunda["results"]}
    assert vistos == {p.pk for p in registros["proyectos"]}
    enorme = api_planificador.leer("/api/proyectos/?limit=100000&offset=99999999999999999999").json()
    assert enorme["results"] == [] and enorme["count"] == 3


def test_lista_hace_un_numero_acotado_de_consultas(
    api_planificador, registros, planificador, centro, django_assert_max_num_queries
):
    for i in range(40):
        proyecto_crear(
            datos={
                "nombre": f"Extra {i}",
                "tipologia": "programa",
                "etapa": "idea",
                "institucion": "municipal",
                "geom": centro,
            },
            actor=planificador,
        )
    api_planificador.leer("/api/proyectos/?limit=1")  # la credencial queda recordada
    with django_assert_max_num_queries(6):
        datos = api_planificador.leer("/api/proyectos/?limit=500").json()
    assert len(datos["results"]) == 43


def test_retrieve_y_404_en_espanol(api_planificador, registros):
    inmueble = registros["inmueble"]
    datos = api_planificador.leer(f"/api/inmuebles/{inmueble.pk}/").json()
    assert datos["nombre"] == "Estadio municipal" and datos["rol_manzana"] == 573
    assert datos["geometry"]["type"] == "MultiPolygon"
    for url in (
        "/api/inmuebles/999999/",
        "/api/inmuebles/abc/",
        "/api/inmuebles/99999999999999999999999/",
        "/api/inmuebles/%C2%B2/",  # «²»: isdigit() lo acepta, int() no
        "/api/inmuebles/0/",
    ):
        respuesta = api_planificador.leer(url)
        assert respuesta.status_code == 404
        assert respuesta.json() == {"detalle": "No encontrado.", "errores": {}}


def test_concesion_lista_con_situacion_calculada(api_planificador, registros, planificador):
    from apps.patrimonio.services import concesion_crear

    concesion_crear(
        datos={
            "activo": registros["activo"],
            "tipo": "arriendo",
            "titular_nombre": "Club Deportivo",
            "titular_rut": "76.123.456-0",
            "fecha_inicio": "2020-01-01",
            "fecha_termino": "2025-01-01",
        },
        actor=planificador,
    )
    datos = api_planificador.leer("/api/concesiones/?situacion=vencida").json()
    assert [c["situacion"] for c in datos["results"]] == ["vencida"]
    assert datos["results"][0]["estado"] == "vigente"
    assert datos["results"][0]["fecha_termino"] == "2025-01-01"
    assert api_planificador.leer("/api/concesiones/?situacion=vigente").json()["count"] == 0


def test_aceptar_html_es_406_y_metodo_no_permitido_405(api_planificador, registros):
    respuesta = api_planificador.leer("/api/proyectos/", headers={"Accept": "text/html"})
    assert respuesta.status_code == 406
    assert "no se ha podido satisfacer" in respuesta.json()["detalle"].lower()
    pk = registros["proyectos"][0].pk
    respuesta = api_planificador.enviar("post", f"/api/proyectos/{pk}/", {})
    assert respuesta.status_code == 405
    assert "no permitido" in respuesta.json()["detalle"].lower()
