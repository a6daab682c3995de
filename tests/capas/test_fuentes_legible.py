"""La expresión legible de un atributo: etiquetas de opciones, sí/no, nombre de la FK, nulos y comillas."""

import pytest
from django.db import connection

from apps.proyectos.models import FuenteFinanciamiento, Proyecto
from capas.fuentes import Atributo, atributo_de_campo
from tests.factories import ProyectoFactory


def _leer(atributo: Atributo, valores: list, tipo: str) -> list:
    """Devuelve ``atributo.legible`` evaluado sobre una tabla de una columna ``x`` con esos valores."""
    filas = ", ".join(f"(%s::{tipo})" for _ in valores)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {atributo.legible} FROM (VALUES {filas}) t(x)", valores)
        return [fila[0] for fila in cursor.fetchall()]


@pytest.mark.django_db
def test_opciones_se_leen_como_etiquetas_con_comillas_y_porcentajes():
    opciones = (("servicio_publico", "Servicio público"), ("raro", "50% de l'obra"))
    atributo = Atributo("institucion", "t.x", opciones=opciones)
    assert atributo.con_etiqueta and atributo.tipo_legible == "texto"
    leidos = _leer(atributo, ["servicio_publico", "raro", "sin_etiqueta", None], "text")
    assert leidos == ["Servicio público", "50% de l'obra", "sin_etiqueta", None]


@pytest.mark.django_db
def test_opciones_enteras_y_booleanos():
    entero = Atributo("n", "t.x", "entero", opciones=(("1", "Uno"), ("2", "Dos")))
    assert _leer(entero, [1, 2, 3], "int") == ["Uno", "Dos", "3"]
    booleano = Atributo("b", "t.x", "booleano")
    assert booleano.tipo_legible == "texto"
    assert _leer(booleano, [True, False, None], "boolean") == ["Sí", "No", None]
    # Una expresión compuesta se niega entera: «falso o nulo» es nulo, no «No».
    compuesta = Atributo("c", "t.x OR NULL::boolean", "booleano")
    assert _leer(compuesta, [True, False], "boolean") == ["Sí", None]
    texto = Atributo("t", "t.x")
    assert not texto.con_etiqueta and texto.legible == "t.x" and texto.tipo_legible == "texto"


def test_fk_se_lee_como_el_nombre_del_registro(comuna):
    fuente = FuenteFinanciamiento.objects.order_by("pk").first()
    con, sin = ProyectoFactory(comuna=comuna, fuente=fuente), ProyectoFactory(comuna=comuna)
    atributo = atributo_de_campo(Proyecto, "fuente")
    assert (atributo.tipo, atributo.tipo_legible, atributo.titulo) == (
        "entero",
        "texto",
        "fuente de financiamiento",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT t.id, {atributo.expresion}, {atributo.legible} FROM "{Proyecto._meta.db_table}" t '
            "WHERE t.id = ANY(%s) ORDER BY t.id",
            [[con.pk, sin.pk]],
        )
        assert cursor.fetchall() == [(con.pk, fuente.pk, fuente.nombre), (sin.pk, None, None)]
    institucion = atributo_de_campo(Proyecto, "institucion")
    assert ("servicio_publico", "Servicio público") in institucion.opciones
