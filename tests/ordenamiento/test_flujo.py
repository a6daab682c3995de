"""Flujo de las propuestas: pasos válidos e inválidos, permisos, acuerdo, congelado, versión y auditoría."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.nucleo.concurrencia import ConflictoEdicion
from apps.nucleo.historial import historial_de
from apps.ordenamiento import flujo
from apps.ordenamiento.models import EtapaPropuesta
from apps.ordenamiento.services import propuesta_actualizar, propuesta_eliminar
from tests.ordenamiento.conftest import decidir, enviar, presentar, rectangulo_utm


def test_flujo_completo_hasta_aprobada_congela_cada_etapa(propuesta, planificador, director):
    enviada = enviar(propuesta, planificador)
    assert enviada.estado == "en_revision" and enviada.version == 2
    presentada = presentar(enviada, director)
    assert presentada.estado == "presentada" and presentada.version == 3
    aprobada = decidir(presentada, director, numero_acuerdo=" 45/2026 ")
    assert aprobada.estado == "aprobada" and aprobada.version == 4

    etapas = list(propuesta.etapas.order_by("pk"))
    assert [(e.desde, e.hacia) for e in etapas] == [
        ("borrador", "en_revision"),
        ("en_revision", "presentada"),
        ("presentada", "aprobada"),
    ]
    assert [e.actor for e in etapas] == [planificador, director, director]
    assert [e.version for e in etapas] == [2, 3, 4]
    ultima = etapas[-1]
    assert ultima.fecha_sesion == timezone.localdate() and ultima.numero_acuerdo == "45/2026"
    assert etapas[0].fecha_sesion is None and etapas[0].numero_acuerdo == ""
    for etapa in etapas:
        # 100 m × 100 m en UTM 18S: 10.000 m² (lo que midió el informe en ese momento).
        assert etapa.informe["area_m2"] == pytest.approx(10_000, rel=1e-6)
        assert etapa.informe["srid_metrico"] == 5362 and etapa.informe["uso"] == "equipamiento"
        assert etapa.nombre == "Equipamiento deportivo Hualpín" and etapa.comuna_id == propuesta.comuna_id
        assert etapa.geom.equals_exact(propuesta.geom, 1e-12)


def test_rechazo_registra_acuerdo(presentada, director):
    hoy = timezone.localdate()
    rechazada = decidir(presentada, director, decision="rechazada", fecha_sesion=hoy, numero_acuerdo="12")
    assert rechazada.estado == "rechazada"
    etapa = rechazada.etapas.latest("pk")
    assert (etapa.hacia, etapa.fecha_sesion, etapa.numero_acuerdo) == ("rechazada", hoy, "12")
    assert flujo.acciones_posibles(rechazada, director) == []  # rechazada es un estado final


def test_director_devuelve_con_observacion_y_se_vuelve_a_editar(propuesta, planificador, director):
    enviada = enviar(propuesta, planificador)
    with pytest.raises(ValidationError) as error:
        flujo.propuesta_devolver(propuesta=enviada, version=enviada.version, actor=director, observacion="  ")
    assert error.value.message_dict["observacion"][0].startswith("Explique qué debe corregirse")
    devuelta = flujo.propuesta_devolver(
        propuesta=enviada, version=enviada.version, actor=director, observacion="Falta el informe vial."
    )
    assert devuelta.estado == "borrador"
    assert devuelta.etapas.latest("pk").observacion == "Falta el informe vial."
    editada = propuesta_actualizar(
        instancia=devuelta,
        datos={"nombre": "Equipamiento corregido"},
        version=devuelta.version,
        actor=planificador,
    )
    assert editada.nombre == "Equipamiento corregido"


ORIGEN = "La propuesta está «Borrador»: «{}» solo se hace con una propuesta «{}»."


@pytest.mark.parametrize(
    ("accion", "mensaje"),
    [
        ("presentar", ORIGEN.format("Presentar al Concejo", "En revisión")),
        ("devolver", ORIGEN.format("Devolver a borrador", "En revisión")),
        ("aprobar", ORIGEN.format("Registrar aprobación", "Presentada al Concejo")),
    ],
)
def test_paso_desde_un_estado_que_no_corresponde_se_rechaza(propuesta, director, accion, mensaje):
    datos = {"observacion": "x", "fecha_sesion": timezone.localdate(), "numero_acuerdo": "1"}
    if accion != "aprobar":
        datos = {"observacion": "x"}
    with pytest.raises(ValidationError) as error:
        flujo.propuesta_transitar(
            propuesta=propuesta, accion=accion, version=propuesta.version, actor=director, datos=datos
        )
    assert error.value.messages == [mensaje]
    propuesta.refresh_from_db()
    assert propuesta.estado == "borrador" and propuesta.version == 1 and not propuesta.etapas.exists()


def test_enviar_dos_veces_se_rechaza(propuesta, planificador):
    enviada = enviar(propuesta, planificador)
    with pytest.raises(ValidationError, match="está «En revisión»"):
        enviar(enviada, planificador)
    assert enviada.etapas.count() == 1


def test_accion_desconocida(propuesta, planificador):
    with pytest.raises(ValidationError) as error:
        flujo.propuesta_transitar(propuesta=propuesta, accion="archivar", version=1, actor=planificador)
    assert "Acción desconocida" in error.value.message_dict["accion"][0]


def test_planificador_no_presenta_ni_decide_ni_devuelve(propuesta, planificador):
    enviada = enviar(propuesta, planificador)
    with pytest.raises(PermissionDenied, match="Su rol no permite presentar propuestas al Concejo."):
        presentar(enviada, planificador)
    with pytest.raises(PermissionDenied, match="devolver propuestas a borrador"):
        flujo.propuesta_devolver(
            propuesta=enviada, version=enviada.version, actor=planificador, observacion="x"
        )
    with pytest.raises(PermissionDenied, match="registrar la decisión del Concejo"):
        decidir(enviada, planificador)
    assert flujo.acciones_posibles(enviada, planificador) == []
    enviada.refresh_from_db()
    assert enviada.estado == "en_revision" and enviada.etapas.count() == 1


def test_consulta_no_da_ningun_paso_y_director_no_envia(propuesta, consulta, director):
    for actor in (consulta, director):
        with pytest.raises(PermissionDenied, match="enviar propuestas a revisión"):
            enviar(propuesta, actor)
    assert flujo.acciones_posibles(propuesta, consulta) == []
    assert flujo.acciones_posibles(propuesta, director) == []
    propuesta.refresh_from_db()
    assert propuesta.estado == "borrador"


def test_acciones_posibles_por_estado_y_rol(propuesta, planificador, director):
    assert [t.accion for t in flujo.acciones_posibles(propuesta, planificador)] == ["enviar"]
    enviada = enviar(propuesta, planificador)
    assert [t.accion for t in flujo.acciones_posibles(enviada, director)] == ["devolver", "presentar"]
    presentada = presentar(enviada, director)
    assert [t.accion for t in flujo.acciones_posibles(presentada, director)] == ["aprobar", "rechazar"]


def test_decision_exige_fecha_de_sesion_y_numero_de_acuerdo(presentada, director):
    with pytest.raises(ValidationError) as error:
        flujo.propuesta_decidir(
            propuesta=presentada,
            decision="aprobada",
            fecha_sesion=None,
            numero_acuerdo="  ",
            version=presentada.version,
            actor=director,
        )
    errores = error.value.message_dict
    assert errores["fecha_sesion"] == ["Indique la fecha de la sesión del Concejo que tomó la decisión."]
    assert errores["numero_acuerdo"] == ["Indique el número del acuerdo del Concejo (p. ej. 123/2026)."]
    with pytest.raises(ValidationError) as error:
        decidir(presentada, director, fecha_sesion=timezone.localdate() + timedelta(days=1))
    assert "no puede ser futura" in error.value.message_dict["fecha_sesion"][0]
    with pytest.raises(ValidationError) as error:
        decidir(presentada, director, fecha_sesion=timezone.localdate() - timedelta(days=3))
    hoy = timezone.localdate().strftime("%d-%m-%Y")
    assert error.value.message_dict["fecha_sesion"] == [
        f"La sesión no puede ser anterior a la presentación al Concejo ({hoy})."
    ]
    with pytest.raises(ValidationError, match="«aprobada» o «rechazada»"):
        decidir(presentada, director, decision="postergada")
    presentada.refresh_from_db()
    assert presentada.estado == "presentada" and presentada.etapas.count() == 2


def test_acuerdo_solo_en_la_decision(propuesta, planificador):
    with pytest.raises(ValidationError, match="solo van en la decisión del Concejo"):
        flujo.propuesta_transitar(
            propuesta=propuesta,
            accion="enviar",
            version=1,
            actor=planificador,
            datos={"numero_acuerdo": "3/2026"},
        )


def test_la_base_exige_acuerdo_en_la_decision(presentada, director):
    etapa = presentada.etapas.latest("pk")
    etapa.pk = None
    etapa.hacia = "aprobada"
    with pytest.raises(IntegrityError), transaction.atomic():
        etapa.save()


def test_version_vieja_es_conflicto_y_no_cambia_nada(propuesta, planificador, director):
    vieja = propuesta.version
    enviar(propuesta, planificador)
    with pytest.raises(ConflictoEdicion) as error:
        flujo.propuesta_presentar(propuesta=propuesta, version=vieja, actor=director)
    assert error.value.target.estado == "en_revision"
    assert "Otro usuario modificó «Equipamiento deportivo Hualpín»" in str(error.value)
    propuesta.refresh_from_db()
    assert propuesta.estado == "en_revision" and propuesta.etapas.count() == 1


def test_editar_o_eliminar_fuera_de_borrador_se_rechaza(propuesta, planificador):
    enviada = enviar(propuesta, planificador)
    with pytest.raises(ValidationError, match="solo se puede editar en borrador"):
        propuesta_actualizar(
            instancia=enviada, datos={"nombre": "Otro"}, version=enviada.version, actor=planificador
        )
    with pytest.raises(ValidationError, match="solo se puede eliminar en borrador"):
        propuesta_eliminar(instancia=enviada, version=enviada.version, actor=planificador)
    enviada.refresh_from_db()
    assert enviada.nombre == "Equipamiento deportivo Hualpín"
    with pytest.raises(ValueError, match="cambia por su flujo"):
        propuesta_actualizar(instancia=enviada, datos={"estado": "aprobada"}, version=2, actor=planificador)


def test_congelado_es_el_informe_de_ese_momento_y_no_cambia_despues(
    propuesta, planificador, director, monkeypatch
):
    devueltos = []
    original = flujo.informe_de_propuesta

    def espia(p):
        informe = original(p)
        devueltos.append(informe)
        return informe

    monkeypatch.setattr(flujo, "informe_de_propuesta", espia)
    enviada = enviar(propuesta, planificador)
    devuelta = flujo.propuesta_devolver(
        propuesta=enviada, version=enviada.version, actor=director, observacion="Ampliar al oriente."
    )
    # Se corrige la geometría: 200 m × 100 m = 20.000 m².
    corregida = propuesta_actualizar(
        instancia=devuelta,
        datos={"geom": rectangulo_utm(0, 0, 200, 100)},
        version=devuelta.version,
        actor=planificador,
    )
    # Las capas cambian: el informe de ahora trae una categoría que antes no había.
    monkeypatch.setattr(
        flujo, "informe_de_propuesta", lambda p: {**espia(p), "categorias": [{"categoria": "humedal"}]}
    )
    reenviada = enviar(corregida, planificador)

    primera, segunda, tercera = reenviada.etapas.order_by("pk")
    assert primera.informe == devueltos[0] and segunda.informe == devueltos[1]
    assert primera.informe["area_m2"] == pytest.approx(10_000, rel=1e-6)
    assert segunda.informe["area_m2"] == pytest.approx(10_000, rel=1e-6)  # se devolvió antes de corregir
    assert primera.informe["categorias"] == [] and primera.geom.equals_exact(
        rectangulo_utm(0, 0, 100, 100), 1e-9
    )
    assert tercera.informe["area_m2"] == pytest.approx(20_000, rel=1e-6)
    assert tercera.informe["categorias"] == [{"categoria": "humedal"}]
    # Ni un UPDATE directo a la base altera lo congelado.
    with pytest.raises(IntegrityError, match="no se modifica"), transaction.atomic():
        EtapaPropuesta.objects.filter(pk=primera.pk).update(informe={"area_m2": 1})
    primera.refresh_from_db()
    assert primera.informe == devueltos[0]


def test_cada_paso_queda_en_el_historial_con_su_actor(propuesta, planificador, director):
    presentar(enviar(propuesta, planificador), director)
    eventos = list(propuesta.events.select_related("pgh_context").order_by("pgh_id"))
    assert [e.estado for e in eventos] == ["borrador", "en_revision", "presentada"]
    contextos = [e.pgh_context.metadata for e in eventos[1:]]
    assert contextos == [
        {"user": planificador.pk, "origen": "propuesta_enviar"},
        {"user": director.pk, "origen": "propuesta_presentar"},
    ]
    historial = historial_de(propuesta)
    assert historial[0].usuario == "Ana Directora"
    assert [(c.campo, c.antes, c.despues) for c in historial[0].cambios] == [
        ("Estado", "En revisión", "Presentada al Concejo")
    ]
