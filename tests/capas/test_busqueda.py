"""Búsqueda del visor: /capas/buscar/?q= en las capas visibles, sin tildes, con bbox y sin inyección."""

import pytest
from django.contrib.gis.geos import Point

from apps.comunas.services import localidades_cargar
from apps.proyectos.models import Proyecto
from tests.factories import CENTRO, BienInmuebleFactory, ProyectoFactory, cuadrado


def _buscar(client, q: str) -> list[dict]:
    respuesta = client.get("/capas/buscar/", {"q": q})
    assert respuesta.status_code == 200, respuesta.content
    return respuesta.json()["resultados"]


@pytest.fixture
def datos(comuna):
    """Un proyecto con BIP y licitación, un inmueble con rol 573-24 y las localidades reales."""
    localidades_cargar(comuna=comuna)
    proyecto = ProyectoFactory(
        comuna=comuna,
        nombre="Reposición sede social Los Robles",
        codigo_bip="40012345-6",
        codigo_licitacion="1509-5-L114",
        geom=Point(-73.1, -39.0, srid=4326),
    )
    inmueble = BienInmuebleFactory(
        comuna=comuna, nombre="Estadio municipal", rol_manzana=573, rol_predio=24, geom=cuadrado(lado=0.002)
    )
    return proyecto, inmueble


def test_busca_por_nombre_sin_tildes_ni_mayusculas(client, planificador, datos):
    client.force_login(planificador)
    proyecto, _inmueble = datos
    resultados = _buscar(client, "REPOSICION sede")
    assert resultados == [
        {
            "capa": "proyectos-puntos",
            "titulo_capa": "Proyectos (puntos)",
            "id": proyecto.pk,
            "etiqueta": "Reposición sede social Los Robles",
            "bbox": [-73.1, -39.0, -73.1, -39.0],
        }
    ]


def test_busca_por_rol_sii_bip_y_mercado_publico(client, planificador, datos):
    client.force_login(planificador)
    proyecto, inmueble = datos
    (rol,) = _buscar(client, "573-24")
    assert rol["capa"] == "inmuebles" and rol["id"] == inmueble.pk
    assert rol["etiqueta"] == "Estadio municipal · 573-24"
    oeste, sur = CENTRO
    assert rol["bbox"] == pytest.approx([oeste, sur, oeste + 0.002, sur + 0.002])
    (bip,) = _buscar(client, "40012345")
    assert (bip["id"], bip["etiqueta"]) == (proyecto.pk, "Reposición sede social Los Robles · 40012345-6")
    (licitacion,) = _buscar(client, "1509-5-l114")
    assert (licitacion["id"], licitacion["etiqueta"]) == (
        proyecto.pk,
        "Reposición sede social Los Robles · 1509-5-L114",
    )


def test_busca_localidades_y_es_publica_solo_en_capas_publicas(client, datos):
    # Anónimo: ve localidades (públicas), no proyectos ni inmuebles.
    (hualpin,) = _buscar(client, "hualpin")
    assert (hualpin["capa"], hualpin["etiqueta"]) == ("localidades", "Hualpín")
    assert hualpin["bbox"] == pytest.approx([-73.18180, -39.08697, -73.18180, -39.08697])
    assert _buscar(client, "Reposición") == []
    assert _buscar(client, "573-24") == []


def test_orden_igual_empieza_contiene_y_tope(client, planificador, comuna, settings):
    client.force_login(planificador)
    settings.CAPAS_BUSQUEDA_MAX_RESULTADOS = 5
    for n in range(8):
        ProyectoFactory(comuna=comuna, nombre=f"Plaza sector {n}")
    ProyectoFactory(comuna=comuna, nombre="Mejoramiento plaza de armas")
    exacto = ProyectoFactory(comuna=comuna, nombre="Plaza")
    resultados = _buscar(client, "plaza")
    assert [r["etiqueta"] for r in resultados] == [
        "Plaza",
        "Plaza sector 0",
        "Plaza sector 1",
        "Plaza sector 2",
        "Plaza sector 3",
    ]
    assert resultados[0]["id"] == exacto.pk
    settings.CAPAS_BUSQUEDA_MAX_RESULTADOS = 20
    assert _buscar(client, "plaza")[-1]["etiqueta"] == "Mejoramiento plaza de armas"


def test_proyectos_sin_ubicacion_no_salen(client, planificador, comuna):
    client.force_login(planificador)
    ProyectoFactory(comuna=comuna, nombre="Estudio sin ubicación", geom=None)
    assert _buscar(client, "Estudio sin") == []


@pytest.mark.parametrize(
    ("q", "mensaje"),
    [
        ("", "Escriba qué buscar en el parámetro q"),
        ("   ", "Escriba qué buscar en el parámetro q"),
        ("x" * 101, "El texto a buscar es muy largo: máximo 100 caracteres."),
    ],
)
def test_texto_vacio_o_largo_responde_400_en_espanol(client, q, mensaje):
    respuesta = client.get("/capas/buscar/", {"q": q})
    assert respuesta.status_code == 400
    assert respuesta.json()["code"] == "ParametroInvalido"
    assert mensaje in respuesta.json()["description"]


def test_sin_q_responde_400(client):
    respuesta = client.get("/capas/buscar/")
    assert respuesta.status_code == 400
    assert "Escriba qué buscar" in respuesta.json()["description"]


@pytest.mark.parametrize(
    "q",
    [
        "'; DROP TABLE proyectos_proyecto; --",
        "' OR '1'='1",
        "%",
        "_",
        "\\",
        "%' OR 1=1 --",
        ".",
        ".*",
        "(",
        "[a-z]",
        "e|o",
        "^R",
        "\\d",
    ],
)
def test_inyeccion_y_comodines_en_la_busqueda_son_texto(client, planificador, datos, q):
    client.force_login(planificador)
    assert _buscar(client, q) == []
    assert Proyecto.objects.count() == 1


def test_comodin_escrito_se_busca_literal(client, planificador, comuna):
    client.force_login(planificador)
    cien = ProyectoFactory(comuna=comuna, nombre="Cobertura 100% agua potable")
    ProyectoFactory(comuna=comuna, nombre="Cobertura 1000 agua")
    assert [r["id"] for r in _buscar(client, "100%")] == [cien.pk]


def test_patron_escapa_todo_operador_y_admite_tildes():
    from capas.servicio.busqueda import patron

    assert patron("Hualpín") == "h[uúùüû][aáàäâ]lp[iíìïî][nñ]"
    assert patron("573-24") == "573-24"
    assert patron(".*(x)|[y]^$+?{2}\\") == "\\.\\*\\(x\\)\\|\\[y\\]\\^\\$\\+\\?\\{2\\}\\\\"
