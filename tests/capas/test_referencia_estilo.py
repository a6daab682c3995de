"""Estilos de las capas importadas: distintos por categoría y editables por un planificador."""

import sqlite3
from itertools import combinations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from capas import categorias
from capas.exportacion.gpkg import escribir_gpkg
from capas.models import CapaReferencia
from capas.referencia.services import capa_referencia_estilo_cambiar
from capas.registro import registro
from tests.factories import CapaReferenciaFactory


def _rgb(hexadecimal: str) -> tuple[int, int, int]:
    return tuple(int(hexadecimal[i : i + 2], 16) for i in (1, 3, 5))


def _distancia(a: str, b: str) -> float:
    return sum((x - y) ** 2 for x, y in zip(_rgb(a), _rgb(b), strict=True)) ** 0.5


def test_cada_categoria_vectorial_tiene_un_simbolo_que_se_distingue_de_los_demas():
    simbolos = {c.valor: c.simbolo for c in categorias.vectoriales()}
    # Las del motor y las de restricción que declara el ordenamiento.
    assert {"referencia", "limite", "predial", "humedal", "inundacion", "cauces"} <= set(simbolos)
    for (cat_a, a), (cat_b, b) in combinations(simbolos.items(), 2):
        # Se distinguen por el relleno o por el borde (RGB a más de 80 de distancia).
        diferencia = max(_distancia(a.relleno, b.relleno), _distancia(a.borde, b.borde))
        assert diferencia > 80, (cat_a, cat_b, diferencia)
    humedal, inundacion = simbolos["humedal"], simbolos["inundacion"]
    assert _distancia(humedal.relleno, inundacion.relleno) > 100


def _leyenda(client, nombre):
    capas = {c["nombre"]: c for c in client.get("/capas/").json()["capas"]}
    return capas[nombre]["leyenda"][0]["estilo"]


def _qml_exportado(nombre, destino) -> str:
    escribir_gpkg([registro.obtener(nombre, todas=True)], destino)
    with sqlite3.connect(destino) as conexion:
        fila = conexion.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = ?", (nombre,))
        return fila.fetchone()[0]


def test_planificador_cambia_el_estilo_y_se_ve_en_la_leyenda_y_el_qml(datos, planificador, client, tmp_path):
    capa = CapaReferencia.objects.get(nombre=datos.capa_ine.nombre)
    categoria = categorias.categoria_de(capa.categoria).simbolo
    url = f"/capas/referencia/{capa.nombre}/estilo/"
    client.force_login(planificador)
    pagina = client.get(url)
    assert pagina.status_code == 200
    assert f'value="{categoria.relleno}"' in pagina.content.decode()
    assert _leyenda(client, capa.nombre)["fillColor"] == categoria.relleno

    nuevo = {"relleno": "#AA3300", "borde": "#112233", "ancho": "3.5", "opacidad": "0.6"}
    respuesta = client.post(url, nuevo)
    assert respuesta.status_code == 302 and respuesta["Location"] == url
    capa.refresh_from_db()
    assert (capa.relleno, capa.borde, capa.ancho, capa.opacidad) == ("#aa3300", "#112233", 3.5, 0.6)
    estilo = _leyenda(client, capa.nombre)
    assert (estilo["fillColor"], estilo["color"], estilo["weight"], estilo["fillOpacity"]) == (
        "#aa3300",
        "#112233",
        3.5,
        0.6,
    )
    qml = _qml_exportado(capa.nombre, tmp_path / "estilo.gpkg")
    assert 'name="color" value="170,51,0,153"' in qml
    assert 'name="outline_color" value="17,34,51,255"' in qml
    assert 'name="outline_width" value="0.926"' in qml
    assert "Estilo de «" in client.get(url).content.decode()
    # El cambio queda en el historial de la capa con su origen.
    evento = capa.events.order_by("-pgh_id").first()
    assert (evento.pgh_label, evento.relleno, evento.pgh_context.metadata["origen"]) == (
        "cambio",
        "#aa3300",
        "capa_referencia_estilo_cambiar",
    )

    client.post(url, {"restaurar": "1"})
    capa.refresh_from_db()
    assert (capa.relleno, capa.borde, capa.ancho, capa.opacidad) == ("", "", None, None)
    assert _leyenda(client, capa.nombre)["fillColor"] == categoria.relleno


def test_estilo_invalido_no_se_guarda(datos, planificador, client):
    capa = CapaReferencia.objects.get(nombre=datos.capa_ine.nombre)
    client.force_login(planificador)
    respuesta = client.post(
        f"/capas/referencia/{capa.nombre}/estilo/",
        {"relleno": "rojo", "borde": "#112233", "ancho": "30", "opacidad": "2"},
    )
    assert respuesta.status_code == 200
    errores = respuesta.context["formulario"].errors
    assert set(errores) == {"relleno", "ancho", "opacidad"}
    assert "Use un color hexadecimal #rrggbb." in errores["relleno"]
    capa.refresh_from_db()
    assert (capa.relleno, capa.ancho, capa.opacidad) == ("", None, None)


def test_la_base_rechaza_un_estilo_fuera_de_rango(datos):
    capas = CapaReferencia.objects.filter(nombre=datos.capa_ine.nombre)
    for campos in ({"relleno": "red"}, {"borde": "#12345"}, {"ancho": -1}, {"opacidad": 1.5}):
        with pytest.raises(IntegrityError), transaction.atomic():
            capas.update(**campos)


def test_solo_quien_puede_cambiar_capas_edita_el_estilo(datos, consulta, client):
    url = f"/capas/referencia/{datos.capa_ine.nombre}/estilo/"
    assert client.get(url).status_code == 302  # sin sesión: a ingresar
    client.force_login(consulta)
    assert client.get(url).status_code == 403
    assert client.post(url, {"restaurar": "1"}).status_code == 403


def test_el_servicio_valida_solo_el_estilo_y_rechaza_un_color_malo(db, planificador):
    capa = CapaReferenciaFactory(categoria="humedal")  # sin atributos: «campos» vacío
    capa_referencia_estilo_cambiar(
        capa=capa, relleno="#ABCDEF", borde="#000000", ancho=1.0, opacidad=0.5, actor=planificador
    )
    assert CapaReferencia.objects.get(pk=capa.pk).relleno == "#abcdef"
    with pytest.raises(ValidationError):
        capa_referencia_estilo_cambiar(
            capa=capa, relleno="#12", borde="#000000", ancho=1.0, opacidad=0.5, actor=planificador
        )
    assert CapaReferencia.objects.get(pk=capa.pk).relleno == "#abcdef"
