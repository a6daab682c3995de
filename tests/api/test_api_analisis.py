"""API del análisis: POST /api/analisis/superposicion/ y GET /api/propuestas/<id>/informe/."""

import json

import pytest

from apps.ordenamiento.models import PropuestaUsoSuelo
from tests.factories import CENTRO
from tests.factories.restricciones import capa_con, en_almacenamiento, rectangulo_utm

pytestmark = pytest.mark.django_db
URL = "/api/analisis/superposicion/"


@pytest.fixture
def cuadro(comuna):
    """Devuelve la función que arma rectángulos métricos relativos a un punto del pueblo."""
    from django.contrib.gis.geos import Point

    from capas.srid import reproyectar

    centro = reproyectar(Point(*CENTRO, srid=4326), comuna.srid_metrico)
    return lambda dx, dy, w, h: rectangulo_utm(centro.x + dx, centro.y + dy, w, h, srid=comuna.srid_metrico)


def _geojson(poligono):
    return json.loads(en_almacenamiento(poligono).json)


def _post(cliente, cuerpo):
    return cliente.post(URL, data=json.dumps(cuerpo), content_type="application/json")


def test_informe_de_un_poligono_con_el_contrato_de_la_api(client, consulta, cuadro):
    capa_con("riesgo-remocion", "remocion", [cuadro(0, 0, 100, 100)])
    client.force_login(consulta)
    respuesta = _post(client, {"geometria": _geojson(cuadro(0, 0, 200, 100)), "uso": "equipamiento"})
    assert respuesta.status_code == 200, respuesta.content
    informe = respuesta.json()
    assert informe["area_m2"] == pytest.approx(20_000, rel=1e-6)
    assert informe["categorias"] == [
        {
            "categoria": "remocion",
            "etiqueta": "Remoción en masa",
            "fundamento": informe["categorias"][0]["fundamento"],
            "condicion": "condicionado",
            "area_m2": pytest.approx(10_000, rel=1e-6),
            "porcentaje": pytest.approx(50, rel=1e-6),
            "capas": [
                {
                    "capa": "riesgo-remocion",
                    "titulo": "Riesgo remocion",
                    "area_m2": pytest.approx(10_000, rel=1e-6),
                    "porcentaje": pytest.approx(50, rel=1e-6),
                }
            ],
        }
    ]
    assert informe["distancias"][0] | {"distancia_m": 0} == {
        "categoria": "remocion",
        "etiqueta": "Remoción en masa",
        "capa": "riesgo-remocion",
        "titulo": "Riesgo remocion",
        "fid": 1,
        "elemento": "riesgo-remocion 1",
        "distancia_m": 0,
    }
    assert set(informe) >= {"zonas", "localidades", "veredicto", "srid_metrico"}
    assert informe["veredicto"] == "condicionado"


@pytest.mark.parametrize(
    ("cuerpo", "campo", "texto"),
    [
        ({"geometria": {"type": "Point", "coordinates": list(CENTRO)}}, "geometria", "Tipo de geometría"),
        (
            {
                "geometria": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [-73.09, -38.99],
                            [-73.08, -38.98],
                            [-73.08, -38.99],
                            [-73.09, -38.98],
                            [-73.09, -38.99],
                        ]
                    ],
                }
            },
            "geometria",
            "Geometría inválida",
        ),
        (
            {
                "geometria": {
                    "type": "Polygon",
                    "coordinates": [[[-70.6, -33.4], [-70.5, -33.4], [-70.5, -33.3], [-70.6, -33.4]]],
                }
            },
            "geometria",
            "fuera",
        ),
        ({}, "geometria", "requerido"),
        ({"geometria": {"type": "Polygon", "coordinates": []}, "uso": "casino"}, "uso", "válida"),
    ],
)
def test_poligono_invalido_o_fuera_de_la_comuna_da_400_en_espanol(
    client, consulta, comuna, cuerpo, campo, texto
):
    client.force_login(consulta)
    respuesta = _post(client, cuerpo)
    assert respuesta.status_code == 400
    errores = respuesta.json()["errores"]
    assert campo in errores
    assert texto.lower() in " ".join(map(str, errores[campo])).lower()


def test_poligono_que_se_cruza_dice_donde(client, consulta, comuna):
    client.force_login(consulta)
    mariposa = [[-73.09, -38.99], [-73.08, -38.98], [-73.08, -38.99], [-73.09, -38.98], [-73.09, -38.99]]
    respuesta = _post(client, {"geometria": {"type": "Polygon", "coordinates": [mariposa]}})
    [mensaje] = respuesta.json()["errores"]["geometria"]
    # Los lados se cruzan en el centro del moño: el mensaje da el motivo y ese lugar.
    assert mensaje.startswith("Geometría inválida:")
    assert "lon -73.085000, lat -38.985000" in mensaje


def test_sin_sesion_401_y_sin_permiso_403(client, django_user_model, cuadro):
    cuerpo = {"geometria": _geojson(cuadro(0, 0, 10, 10))}
    assert _post(client, cuerpo).status_code in (401, 403)
    sin_rol = django_user_model.objects.create_user(username="sinrol", password="x-clave-larga-1")
    client.force_login(sin_rol)
    assert _post(client, cuerpo).status_code == 403


def test_informe_de_una_propuesta_guardada(client, consulta, comuna, cuadro):
    capa_con("franja-rio", "cauces", [cuadro(0, 0, 50, 300)])
    propuesta = PropuestaUsoSuelo.objects.create(
        comuna=comuna,
        nombre="Villa ribereña",
        uso_propuesto="residencial",
        justificacion="Prueba",
        geom=en_almacenamiento(cuadro(0, 0, 100, 300)),
    )
    client.force_login(consulta)
    respuesta = client.get(f"/api/propuestas/{propuesta.pk}/informe/")
    assert respuesta.status_code == 200
    informe = respuesta.json()
    assert informe["uso"] == "residencial"
    [cauces] = informe["categorias"]
    assert cauces["area_m2"] == pytest.approx(15_000, rel=1e-6)
    assert cauces["condicion"] == "prohibido"
    assert informe["veredicto"] == "prohibido"
    assert client.get("/api/propuestas/999999/informe/").status_code == 404
    assert client.get(f"/api/propuestas/{2**63}/informe/").status_code == 404
