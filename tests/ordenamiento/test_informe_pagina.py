"""Página del informe de superposición: áreas conocidas en es-CL, errores en su lugar y permisos."""

import json

import pytest

from apps.ordenamiento.models import PropuestaUsoSuelo
from tests.factories import CENTRO, BienInmuebleFactory, cuadrado
from tests.factories.informe import escenario_informe

pytestmark = pytest.mark.django_db
URL = "/ordenamiento/analisis/"


@pytest.fixture
def poligono(comuna):
    """Devuelve el polígono del escenario (20.000 m²) con sus zonas y capas creadas."""
    return escenario_informe(comuna)


def _html(respuesta) -> str:
    """Devuelve el HTML con los espacios colapsados (las celdas cortan líneas)."""
    return " ".join(respuesta.content.decode().split())


def test_formulario_abre_centrado_en_la_vista_del_visor(client, planificador, comuna):
    client.force_login(planificador)
    respuesta = client.get(URL + "?centro=-73.1,-38.99&zoom=15")
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    config = json.loads(
        html.split('id="dibujo-configuracion" type="application/json">')[1].split("</script>")[0]
    )
    assert config["centro"] == {"lon": -73.1, "lat": -38.99, "zoom": 15}
    assert config["campo"] == "id_geometria" and config["herramientas"] == ["poligono"]
    assert 'id="informe"' not in html and "Analizar" in html
    assert 'placeholder="5.000 (por omisión)"' in html


def test_poligono_dibujado_da_areas_zonas_restricciones_y_veredicto(client, planificador, poligono):
    client.force_login(planificador)
    respuesta = client.post(URL, {"geometria": poligono.geojson, "uso": "residencial", "radio_m": "1.000"})
    assert respuesta.status_code == 200
    html = _html(respuesta)
    # Área: 200 × 100 m medidos en el UTM de la comuna.
    assert 'id="informe-area"><strong>20.000 m²</strong><br>2,00 ha' in html
    assert "EPSG:5362" in html and "1,00 km" in html
    zonas = html.split('id="tabla-zonas"')[1].split("</table>")[0]
    assert "ZU-1" in zonas and "Zona urbana central" in zonas and "ZR-2" in zonas
    assert zonas.count("10.000 m²") == 2 and zonas.count("50,0 %") == 2
    assert 'text-bg-success">Permitido' in zonas and 'text-bg-warning">Condicionado' in zonas
    restricciones = html.split('id="tabla-restricciones"')[1].split("</table>")[0]
    assert (
        "Humedal (Ley 21.202)" in restricciones and "2.500 m²" in restricciones and "12,5 %" in restricciones
    )
    # Inundación: las dos capas se superponen; la categoría no cuenta dos veces (4.800, no 6.400).
    assert (
        "Riesgo de inundación" in restricciones and "4.800 m²" in restricciones and "24,0 %" in restricciones
    )
    assert restricciones.count("3.200 m²") == 2 and "6.400" not in restricciones
    assert 'text-bg-danger">Prohibido' in restricciones
    cercanas = html.split('id="tabla-cercanas"')[1].split("</table>")[0]
    assert "Reserva El Peral" in cercanas and "300 m" in cercanas
    assert "Humedal Los Patos" in cercanas and "0 m (lo toca)" in cercanas
    veredicto = html.split('id="veredicto"')[1].split("</div>")[0]
    assert "Prohibido" in veredicto and "«Residencial» está prohibido" in veredicto
    # El mapa del informe trae el polígono y las capas que toca (y la cercana).
    config = json.loads(html.split('id="minimapa-config" type="application/json">')[1].split("</script>")[0])
    assert {c["nombre"] for c in config["capas"]} == {
        "humedales-prueba",
        "inundacion-a",
        "inundacion-b",
        "snaspe-prueba",
    }
    assert config["elementos"]["features"][0]["properties"]["titulo"] == "Polígono analizado"
    # El botón del PDF manda el mismo polígono, uso y radio (como lo lee el formulario: 1.000 m).
    assert 'id="btn-imprimir-informe"' in html and 'name="radio_m" value="1.000"' in html


def test_con_otro_uso_el_veredicto_cambia_y_sin_uso_no_hay(client, planificador, poligono):
    client.force_login(planificador)
    html = _html(client.post(URL, {"geometria": poligono.geojson, "uso": "equipamiento"}))
    veredicto = html.split('id="veredicto"')[1].split("</div>")[0]
    assert "Condicionado" in veredicto
    zonas = html.split('id="tabla-zonas"')[1].split("</table>")[0]
    # ZR-2 no tiene fila para equipamiento: «sin norma».
    assert "Sin norma" in zonas and "Permitido" in zonas
    html = _html(client.post(URL, {"geometria": poligono.geojson}))
    assert "Sin uso propuesto" in html.split('id="veredicto"')[1].split("</div>")[0]
    # Radio por omisión: 5 km.
    assert "5,00 km" in html


def test_geojson_pegado_como_feature_collection(client, planificador, poligono):
    client.force_login(planificador)
    coleccion = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": json.loads(poligono.geojson)}],
    }
    html = _html(client.post(URL, {"pegado": json.dumps(coleccion), "uso": "residencial"}))
    assert "<strong>20.000 m²</strong>" in html


@pytest.mark.parametrize(
    ("datos", "campo", "mensaje"),
    [
        ({}, "geometria", "Dibuje el polígono en el mapa o pegue su GeoJSON."),
        ({"pegado": "{no es json"}, "pegado", "Lo pegado no es GeoJSON"),
        (
            {"pegado": json.dumps({"type": "FeatureCollection", "features": []})},
            "pegado",
            "La colección pegada tiene 0 elementos",
        ),
        (
            {"pegado": json.dumps({"type": "Point", "coordinates": list(CENTRO)})},
            "pegado",
            "Aquí se dibuja un polígono",
        ),
        ({"radio_m": "90.000"}, "radio_m", "50000"),
    ],
)
def test_entradas_invalidas_se_explican_en_su_campo(client, planificador, comuna, datos, campo, mensaje):
    client.force_login(planificador)
    if campo == "radio_m":
        datos = {**datos, "geometria": cuadrado().geojson}
    respuesta = client.post(URL, datos)
    assert respuesta.status_code == 200
    formulario = respuesta.context["formulario"]
    assert any(mensaje in e for e in formulario.errors[campo]), formulario.errors
    assert 'id="informe"' not in respuesta.content.decode()


def test_corbatin_se_rechaza_con_motivo_y_lugar_en_el_mapa(client, planificador, comuna):
    client.force_login(planificador)
    lon, lat = CENTRO
    corbatin = {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + 0.002, lat + 0.002], [lon + 0.002, lat], [lon, lat + 0.002], [lon, lat]]
        ],
    }
    respuesta = client.post(URL, {"geometria": json.dumps(corbatin)})
    html = respuesta.content.decode()
    error = html.split('id="dibujo-error"')[1].split("</div>")[0]
    assert "Geometría inválida" in error and "intersec" in error.lower()
    config = respuesta.context["mapa"]
    assert config["lugar_error"] == pytest.approx((lon + 0.001, lat + 0.001), abs=1e-6)
    assert config["error"] is True


def test_poligono_fuera_de_la_comuna_se_rechaza_en_espanol(client, planificador, comuna):
    client.force_login(planificador)
    # Santiago: lejos de Teodoro Schmidt.
    respuesta = client.post(URL, {"geometria": cuadrado(-70.65, -33.45, 0.01).geojson})
    errores = respuesta.context["formulario"].errors["geometria"]
    assert any("queda fuera de" in e and "km del límite" in e for e in errores), errores
    # Latitud y longitud intercambiadas: se dice así.
    respuesta = client.post(URL, {"geometria": cuadrado(CENTRO[1], CENTRO[0], 0.001).geojson})
    assert any("intercambian" in e for e in respuesta.context["formulario"].errors["geometria"])


def test_sin_sesion_lleva_al_ingreso(client, comuna):
    respuesta = client.get(URL)
    assert respuesta.status_code == 302 and respuesta["Location"].startswith("/ingresar/")
    assert client.get("/ordenamiento/propuestas/1/informe/").status_code == 302


def test_consulta_ve_el_informe_de_una_propuesta(client, consulta, comuna, poligono):
    propuesta = PropuestaUsoSuelo.objects.create(
        comuna=comuna,
        nombre="Villa El Humedal",
        uso_propuesto="residencial",
        justificacion="x",
        geom=poligono,
    )
    client.force_login(consulta)
    respuesta = client.get(f"/ordenamiento/propuestas/{propuesta.pk}/informe/")
    assert respuesta.status_code == 200
    html = _html(respuesta)
    assert "Villa El Humedal" in html and "<strong>20.000 m²</strong>" in html
    assert "«Residencial» está prohibido" in html
    assert f'href="/ordenamiento/analisis/?desde=propuesta:{propuesta.pk}"' in html
    # La ficha de la propuesta enlaza su informe.
    ficha = client.get(f"/ordenamiento/propuestas/{propuesta.pk}/").content.decode()
    assert f'href="/ordenamiento/propuestas/{propuesta.pk}/informe/" id="ver-informe"' in ficha
    assert client.get("/ordenamiento/propuestas/999999/informe/").status_code == 404


def test_desde_un_inmueble_abre_su_poligono_ya_analizado(client, planificador, comuna, poligono):
    inmueble = BienInmuebleFactory(comuna=comuna, geom=poligono)
    client.force_login(planificador)
    ficha = client.get(f"/patrimonio/inmuebles/{inmueble.pk}/").content.decode()
    assert f'href="/ordenamiento/analisis/?desde=inmueble:{inmueble.pk}" id="ver-informe"' in ficha
    html = _html(client.get(f"{URL}?desde=inmueble:{inmueble.pk}"))
    assert "<strong>20.000 m²</strong>" in html and f"bien inmueble «{inmueble}»" in html
    assert "Sin uso propuesto" in html
    assert client.get(f"{URL}?desde=inmueble:99999999").status_code == 404
    assert client.get(f"{URL}?desde=otra:1").status_code == 404


def test_desde_un_proyecto_sin_poligono_avisa_y_no_enlaza(client, planificador, comuna):
    from tests.factories import ProyectoFactory

    proyecto = ProyectoFactory(comuna=comuna)  # un punto
    client.force_login(planificador)
    ficha = client.get(f"/proyectos/{proyecto.pk}/").content.decode()
    assert 'id="ver-informe"' not in ficha
    html = _html(client.get(f"{URL}?desde=proyecto:{proyecto.pk}"))
    assert "no tiene un polígono" in html.split('id="aviso"')[1].split("</div>")[0]
