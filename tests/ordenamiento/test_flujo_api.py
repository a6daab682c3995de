"""Flujo por la API: POST /api/propuestas/<id>/transiciones/ con versión, permisos y errores en español."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import CLAVE, ClienteAPI
from tests.conftest import basic


def _cliente(usuario) -> ClienteAPI:
    return ClienteAPI(basic(usuario.username, CLAVE))


def _paso(cliente, propuesta, **cuerpo):
    return cliente.enviar("post", f"/api/propuestas/{propuesta.pk}/transiciones/", cuerpo)


def test_flujo_completo_por_la_api(propuesta, planificador, director):
    enviada = _paso(_cliente(planificador), propuesta, accion="enviar", version=1)
    assert enviada.status_code == 200, enviada.content
    assert enviada.json()["estado"] == "en_revision" and enviada.json()["version"] == 2
    assert enviada["ETag"] == '"2"'
    jefa = _cliente(director)
    assert _paso(jefa, propuesta, accion="presentar", version=2).json()["estado"] == "presentada"
    hoy = timezone.localdate().isoformat()
    aprobada = _paso(jefa, propuesta, accion="aprobar", version=3, fecha_sesion=hoy, numero_acuerdo="7/2026")
    assert aprobada.status_code == 200 and aprobada.json()["estado"] == "aprobada"
    etapa = propuesta.etapas.latest("pk")
    assert (etapa.actor, etapa.numero_acuerdo, etapa.fecha_sesion.isoformat()) == (director, "7/2026", hoy)
    assert etapa.informe["area_m2"] == pytest.approx(10_000, rel=1e-6)
    evento = propuesta.events.select_related("pgh_context").latest("pgh_id")
    contexto = evento.pgh_context.metadata
    assert (contexto["user"], contexto["origen"]) == (director.pk, "propuesta_aprobar")
    assert contexto["url"] == f"/api/propuestas/{propuesta.pk}/transiciones/"


def test_planificador_no_presenta_403_y_consulta_no_envia(propuesta, planificador, consulta):
    _paso(_cliente(planificador), propuesta, accion="enviar", version=1)
    respuesta = _paso(_cliente(planificador), propuesta, accion="presentar", version=2)
    assert respuesta.status_code == 403
    assert respuesta.json() == {
        "detalle": "Su rol no permite presentar propuestas al Concejo.",
        "errores": {},
    }
    respuesta = _paso(_cliente(consulta), propuesta, accion="devolver", version=2, observacion="x")
    assert respuesta.status_code == 403 and "devolver propuestas" in respuesta.json()["detalle"]
    propuesta.refresh_from_db()
    assert propuesta.estado == "en_revision" and propuesta.version == 2


def test_decision_sin_acuerdo_400_por_campo(presentada, director):
    respuesta = _paso(_cliente(director), presentada, accion="rechazar", version=presentada.version)
    assert respuesta.status_code == 400
    errores = respuesta.json()["errores"]
    assert errores["fecha_sesion"] == ["Indique la fecha de la sesión del Concejo que tomó la decisión."]
    assert errores["numero_acuerdo"] == ["Indique el número del acuerdo del Concejo (p. ej. 123/2026)."]


def test_estado_de_origen_equivocado_400_y_datos_invalidos(propuesta, director):
    respuesta = _paso(_cliente(director), propuesta, accion="presentar", version=1)
    assert respuesta.status_code == 400
    assert respuesta.json()["errores"]["general"] == [
        "La propuesta está «Borrador»: «Presentar al Concejo» solo se hace con una propuesta «En revisión»."
    ]
    respuesta = _paso(_cliente(director), propuesta, accion="archivar", version=1, fecha_sesion="ayer")
    assert respuesta.status_code == 400
    assert set(respuesta.json()["errores"]) == {"accion", "fecha_sesion"}
    sin_version = _paso(_cliente(director), propuesta, accion="presentar")
    assert sin_version.json()["errores"]["version"] == ["Este campo es requerido."]


def test_version_vieja_409_con_la_propuesta_actual(propuesta, planificador, director):
    _paso(_cliente(planificador), propuesta, accion="enviar", version=1)
    respuesta = _paso(_cliente(director), propuesta, accion="presentar", version=1)
    assert respuesta.status_code == 409
    cuerpo = respuesta.json()
    assert "Otro usuario modificó" in cuerpo["detalle"]
    assert cuerpo["actual"]["estado"] == "en_revision" and cuerpo["actual"]["version"] == 2
    assert cuerpo["modificado_por"] == planificador.username
    assert propuesta.etapas.count() == 1


def test_editar_por_la_api_fuera_de_borrador_400(propuesta, planificador):
    cliente = _cliente(planificador)
    _paso(cliente, propuesta, accion="enviar", version=1)
    respuesta = cliente.enviar("patch", f"/api/propuestas/{propuesta.pk}/", {"nombre": "Otro", "version": 2})
    assert respuesta.status_code == 400
    assert "solo se puede editar en borrador" in respuesta.json()["errores"]["general"][0]
    borrar = cliente.delete(
        f"/api/propuestas/{propuesta.pk}/?version=2", headers={"Authorization": cliente.autorizacion}
    )
    assert borrar.status_code == 400
    propuesta.refresh_from_db()
    assert propuesta.nombre == "Equipamiento deportivo Hualpín"


def test_transiciones_en_el_esquema(db):
    esquema = Client().get("/api/esquema/?format=json").json()
    operacion = esquema["paths"]["/api/propuestas/{id}/transiciones/"]["post"]
    assert operacion["summary"] == "Da un paso del flujo de una propuesta"
    assert {"200", "400", "403", "409"} <= operacion["responses"].keys()
    cuerpo = operacion["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    propiedades = esquema["components"]["schemas"][cuerpo]["properties"]
    assert {"accion", "version", "observacion", "fecha_sesion", "numero_acuerdo"} <= propiedades.keys()
    # drf-spectacular describe la enumeración aparte (con su ayuda al lado: allOf).
    enumeracion = propiedades["accion"]["allOf"][0]["$ref"].rsplit("/", 1)[1]
    acciones = set(esquema["components"]["schemas"][enumeracion]["enum"])
    assert acciones == {"enviar", "devolver", "presentar", "aprobar", "rechazar"}
