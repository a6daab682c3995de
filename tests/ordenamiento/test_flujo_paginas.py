"""Páginas del flujo: botones por rol y estado, confirmación con errores en su lugar, línea de tiempo,
admin."""

from datetime import timedelta

from django.utils import timezone

from apps.ordenamiento.models import PropuestaUsoSuelo
from tests.nucleo.formularios import formulario_admin
from tests.ordenamiento.conftest import decidir, enviar


def _ficha(client, usuario, propuesta) -> str:
    client.force_login(usuario)
    respuesta = client.get(f"/ordenamiento/propuestas/{propuesta.pk}/")
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def test_botones_segun_rol_y_estado(client, propuesta, planificador, director, consulta):
    html = _ficha(client, planificador, propuesta)
    assert 'id="accion-enviar"' in html and 'id="btn-editar"' in html
    assert "Aún no se envía a revisión" in html
    assert 'id="accion-' not in _ficha(client, director, propuesta)
    enviada = enviar(propuesta, planificador)
    html = _ficha(client, planificador, enviada)
    assert 'id="accion-' not in html and 'id="btn-editar"' not in html and 'id="btn-eliminar"' not in html
    assert "Fuera de borrador la propuesta no se edita" in html
    html = _ficha(client, director, enviada)
    assert 'id="accion-devolver"' in html and 'id="accion-presentar"' in html
    assert f'href="/ordenamiento/propuestas/{enviada.pk}/flujo/presentar/"' in html
    assert 'id="accion-' not in _ficha(client, consulta, enviada)


def test_confirmar_presentacion_y_linea_de_tiempo(client, propuesta, planificador, director):
    enviada = enviar(propuesta, planificador)
    client.force_login(director)
    url = f"/ordenamiento/propuestas/{enviada.pk}/flujo/presentar/"
    pagina = client.get(url)
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert 'name="version" value="2"' in html and "csrfmiddlewaretoken" in html
    assert (
        'de <strong>En revisión</strong> a <strong id="estado-destino">Presentada al Concejo</strong>' in html
    )
    respuesta = client.post(url, {"version": 2, "observacion": "Revisada con la DOM."})
    assert respuesta.status_code == 302 and respuesta["Location"] == f"/ordenamiento/propuestas/{enviada.pk}/"
    enviada.refresh_from_db()
    assert enviada.estado == "presentada"
    decidir(enviada, director, numero_acuerdo="45/2026")
    html = _ficha(client, director, enviada)
    assert html.count('class="list-group-item px-0 etapa') == 3
    assert "Presentada al Concejo → Aprobada</strong>\n        · Ana Directora" in html
    hoy = timezone.localdate().strftime("%d-%m-%Y")
    assert f"Acuerdo del Concejo n.º 45/2026, sesión del {hoy}" in html
    assert "«Revisada con la DOM.»" in html
    assert 'id="comparar-versiones"' in html


def test_decision_sin_acuerdo_muestra_errores_en_su_campo(client, presentada, director):
    client.force_login(director)
    url = f"/ordenamiento/propuestas/{presentada.pk}/flujo/aprobar/"
    html = client.get(url).content.decode()
    assert 'for="id_fecha_sesion">Fecha de la sesión del Concejo <span class="obligatorio"' in html
    assert "Como figura en el acta" in html
    respuesta = client.post(url, {"version": presentada.version, "fecha_sesion": "", "numero_acuerdo": ""})
    assert respuesta.status_code == 400
    formulario = respuesta.context["formulario"]
    assert formulario.errors["fecha_sesion"] == [
        "Indique la fecha de la sesión del Concejo que tomó la decisión."
    ]
    assert formulario.errors["numero_acuerdo"] == [
        "Indique el número del acuerdo del Concejo (p. ej. 123/2026)."
    ]
    # Los errores del servicio también van a su campo.
    manana = (timezone.localdate() + timedelta(days=1)).isoformat()
    respuesta = client.post(
        url, {"version": presentada.version, "fecha_sesion": manana, "numero_acuerdo": "9"}
    )
    assert respuesta.status_code == 400
    assert "no puede ser futura" in respuesta.context["formulario"].errors["fecha_sesion"][0]
    assert 'value="9"' in respuesta.content.decode()
    presentada.refresh_from_db()
    assert presentada.estado == "presentada"


def test_confirmar_con_version_vieja_409(client, propuesta, planificador, director):
    client.force_login(planificador)
    url = f"/ordenamiento/propuestas/{propuesta.pk}/flujo/enviar/"
    enviar(propuesta, planificador)  # otra pestaña ya la envió
    respuesta = client.post(url, {"version": 1})
    assert respuesta.status_code == 409
    html = respuesta.content.decode()
    assert 'id="conflicto"' in html and 'id="fuera-de-estado"' in html
    assert PropuestaUsoSuelo.objects.get(pk=propuesta.pk).etapas.count() == 1


def test_paso_sin_permiso_403(client, propuesta, planificador, consulta):
    enviada = enviar(propuesta, planificador)
    client.force_login(planificador)
    assert client.get(f"/ordenamiento/propuestas/{enviada.pk}/flujo/presentar/").status_code == 403
    assert (
        client.post(f"/ordenamiento/propuestas/{enviada.pk}/flujo/presentar/", {"version": 2}).status_code
        == 403
    )
    client.force_login(consulta)
    assert (
        client.post(f"/ordenamiento/propuestas/{enviada.pk}/flujo/devolver/", {"version": 2}).status_code
        == 403
    )
    assert client.get(f"/ordenamiento/propuestas/{enviada.pk}/flujo/archivar/").status_code == 404
    enviada.refresh_from_db()
    assert enviada.estado == "en_revision"


def test_editar_en_la_pagina_fuera_de_borrador_se_rechaza(client, propuesta, planificador):
    enviada = enviar(propuesta, planificador)
    client.force_login(planificador)
    respuesta = client.post(
        f"/ordenamiento/propuestas/{enviada.pk}/editar/",
        {"nombre": "Otro", "uso_propuesto": "equipamiento", "justificacion": "x",
         "geom": enviada.geom.geojson, "version": 2},
    )  # fmt: skip
    assert respuesta.status_code == 200
    assert "solo se puede editar en borrador" in respuesta.content.decode()
    enviada.refresh_from_db()
    assert enviada.nombre == "Equipamiento deportivo Hualpín"


def test_admin_no_cambia_el_estado(client, propuesta, planificador):
    client.force_login(planificador)
    url = f"/admin/ordenamiento/propuestausosuelo/{propuesta.pk}/change/"
    datos = formulario_admin(client, url, nombre="Nombre desde el admin", estado="aprobada")
    assert client.post(url, datos).status_code == 302
    propuesta.refresh_from_db()
    assert (propuesta.nombre, propuesta.estado) == ("Nombre desde el admin", "borrador")


def test_admin_fuera_de_borrador_todo_en_solo_lectura(client, propuesta, planificador):
    enviada = enviar(propuesta, planificador)
    client.force_login(planificador)
    url = f"/admin/ordenamiento/propuestausosuelo/{enviada.pk}/change/"
    datos = formulario_admin(client, url, nombre="Cambiado", estado="borrador")
    assert "nombre" not in formulario_admin(client, url)
    client.post(url, datos)
    enviada.refresh_from_db()
    assert (enviada.nombre, enviada.estado) == ("Equipamiento deportivo Hualpín", "en_revision")
    assert client.get(f"/admin/ordenamiento/propuestausosuelo/{enviada.pk}/delete/").status_code == 403
    html = client.get(url).content.decode()
    assert "Borrador" in html and "En revisión" in html  # la etapa, en línea y en solo lectura
