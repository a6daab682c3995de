"""Un solo ingreso, errores en español con el aspecto del sitio y formatos es-CL de Django."""

import datetime

from django import forms
from django.template import Context, Template
from django.utils import formats

from apps.nucleo.formatos import plural
from tests.factories import ProyectoFactory


def test_admin_login_lleva_a_la_misma_pagina_de_ingreso(client, planificador):
    respuesta = client.get("/admin/login/?next=/admin/proyectos/proyecto/")
    assert respuesta.status_code == 302
    assert respuesta["Location"] == "/ingresar/?next=%2Fadmin%2Fproyectos%2Fproyecto%2F"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    pagina = client.get(respuesta["Location"]).content.decode()
    assert "Ingresar a Territorio" in pagina and 'class="barra navbar' in pagina
    # Mismas palabras ante un error, por cualquiera de las dos rutas.
    for ruta in ("/ingresar/", "/admin/login/"):
        html = client.post(ruta, {"username": "planificadora", "password": "mala"}).content.decode()
        assert "Usuario o clave incorrectos." in html and "Ingresar a Territorio" in html
    entra = client.post(
        "/ingresar/",
        {"username": "planificadora", "password": "clave-de-prueba-1", "next": "/admin/proyectos/proyecto/"},
    )
    assert entra["Location"] == "/admin/proyectos/proyecto/"
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/admin/"


def test_admin_login_no_redirige_fuera_del_sitio(client, db):
    respuesta = client.get("/admin/login/?next=https://malo.example/")
    assert respuesta["Location"] == "/ingresar/?next=%2Fadmin%2F"


def test_404_en_espanol_con_la_barra_del_sitio(client, consulta):
    client.force_login(consulta)
    respuesta = client.get("/no-existe/")
    html = respuesta.content.decode()
    assert respuesta.status_code == 404
    assert "No encontramos esta página" in html and 'class="barra navbar' in html and "Salir" in html
    assert "Not Found" not in html


def test_404_sin_sesion_tambien_en_espanol_sin_menu(client, db):
    respuesta = client.get("/no-existe/")
    html = respuesta.content.decode()
    assert respuesta.status_code == 404 and "No encontramos esta página" in html and "Salir" not in html


def test_formulario_vencido_responde_403_en_espanol(consulta):
    from django.test import Client

    cliente = Client(enforce_csrf_checks=True)
    cliente.force_login(consulta)
    respuesta = cliente.post("/salir/")
    html = respuesta.content.decode()
    assert respuesta.status_code == 403 and "El formulario venció" in html and 'class="barra navbar' in html
    assert "CSRF" not in html


def test_400_y_500_en_espanol_sin_sesion():
    from django.template import loader

    html400 = loader.render_to_string("400.html")
    assert "La solicitud no es válida" in html400 and 'class="barra navbar' in html400
    assert "Algo salió mal" in loader.render_to_string("500.html")


def test_formatos_de_chile_en_django(settings):
    assert formats.number_format(1234567.5, 1) == "1.234.567,5"
    assert formats.date_format(datetime.date(2025, 3, 9), "SHORT_DATE_FORMAT") == "09-03-2025"
    campo = forms.DateField()
    for texto in ("09-03-2025", "09/03/2025", "2025-03-09"):
        assert campo.clean(texto) == datetime.date(2025, 3, 9)
    html = Template("{{ n }} · {{ f }}").render(Context({"n": 1234, "f": 2849.5}))
    assert html == "1.234 · 2.849,5"


def test_ids_grandes_no_llevan_punto_en_enlaces(comuna, planificador, client, django_db_reset_sequences):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('proyectos_proyecto', 'id'), 12344)")
    proyecto = ProyectoFactory(comuna=comuna)
    assert proyecto.pk == 12345
    client.force_login(planificador)
    html = client.get(f"/admin/proyectos/proyecto/{proyecto.pk}/change/").content.decode()
    assert "obj=proyectos.Proyecto:12345" in html and "12.345/" not in html


def test_plurales():
    assert plural(1, "localidad,localidades") == "1 localidad"
    assert plural(2, "localidad,localidades") == "2 localidades"
    assert plural(0, "cuenta,cuentas") == "0 cuentas"
    assert Template('{% load formatos %}{{ n|plural:"banda,bandas" }}').render(Context({"n": 1})) == "1 banda"
