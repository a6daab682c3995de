"""Historial de auditoría: quién, cuándo, antes y después, incluida la geometría."""

import pghistory.models
from django.contrib.gis.geos import Point

from apps.proyectos.models import Proyecto
from tests.factories import CENTRO, ProyectoFactory
from tests.nucleo.formularios import formulario_admin


def _eventos(proyecto_pk):
    return list(
        pghistory.models.Events.objects.tracks(Proyecto(pk=proyecto_pk)).order_by("pgh_created_at", "pgh_id")
    )


def test_alta_cambio_y_baja_quedan_en_el_historial(comuna):
    proyecto = ProyectoFactory(comuna=comuna, nombre="Posta rural", monto_solicitado=100)
    proyecto.nombre = "Posta rural Barros Arana"
    proyecto.monto_solicitado = 250
    proyecto.save()
    pk = proyecto.pk
    proyecto.delete()
    eventos = _eventos(pk)
    assert [e.pgh_label for e in eventos] == ["alta", "cambio", "baja"]
    cambio = eventos[1]
    assert cambio.pgh_diff["nombre"] == ["Posta rural", "Posta rural Barros Arana"]
    assert cambio.pgh_diff["monto_solicitado"] == [100, 250]
    assert eventos[2].pgh_data["nombre"] == "Posta rural Barros Arana"


def test_cambio_de_geometria_guarda_antes_y_despues(comuna):
    proyecto = ProyectoFactory(comuna=comuna)
    nuevo = Point(CENTRO[0] + 0.01, CENTRO[1], srid=4326)
    proyecto.geom = nuevo
    proyecto.save()
    historial = Proyecto.pgh_event_model.objects.filter(pgh_obj_id=proyecto.pk).order_by("pgh_id")
    antes, despues = [e.geom for e in historial]
    assert antes.equals(Point(*CENTRO, srid=4326))
    assert despues.equals(nuevo)


def test_actualizacion_masiva_no_escapa_del_historial(comuna):
    proyectos = ProyectoFactory.create_batch(3, comuna=comuna, etapa="perfil")
    Proyecto.objects.filter(pk__in=[p.pk for p in proyectos]).update(etapa="diseno")
    cambios = Proyecto.pgh_event_model.objects.filter(pgh_label="cambio", etapa="diseno")
    assert sorted(cambios.values_list("pgh_obj_id", flat=True)) == sorted(p.pk for p in proyectos)


def test_el_historial_registra_quien_edito_desde_el_admin(comuna, planificador, client):
    proyecto = ProyectoFactory(comuna=comuna, nombre="Cancha")
    client.force_login(planificador)
    url = f"/admin/proyectos/proyecto/{proyecto.pk}/change/"
    respuesta = client.post(url, formulario_admin(client, url, nombre="Cancha sintética"))
    assert respuesta.status_code == 302
    evento = pghistory.models.MiddlewareEvents.objects.tracks(proyecto).get(pgh_label="cambio")
    assert evento.user == planificador
    assert evento.url == f"/admin/proyectos/proyecto/{proyecto.pk}/change/"
    assert evento.pgh_diff["nombre"] == ["Cancha", "Cancha sintética"]


def test_cuentas_y_roles_dejan_historial(roles, django_user_model):
    from django.contrib.auth.models import Group

    from apps.nucleo.models import CuentaEvento, MembresiaRolEvento

    cuenta = django_user_model.objects.create_user(username="dideco", password="clave-larga-1")
    cuenta.groups.add(Group.objects.get(name="Consulta"))
    cuenta.is_active = False
    cuenta.save()
    cuenta.groups.clear()
    assert list(CuentaEvento.objects.filter(pgh_obj_id=cuenta.pk).values_list("pgh_label", "is_active")) == [
        ("alta", True),
        ("cambio", False),
    ]
    assert list(MembresiaRolEvento.objects.filter(user_id=cuenta.pk).values_list("pgh_label", flat=True)) == [
        "alta",
        "baja",
    ]
    assert "password" not in {f.name for f in CuentaEvento._meta.fields}


def test_historial_en_el_admin_en_espanol_con_enlace_desde_el_registro(comuna, planificador, client):
    proyecto = ProyectoFactory(comuna=comuna, nombre="Garita")
    client.force_login(planificador)
    url = f"/admin/proyectos/proyecto/{proyecto.pk}/change/"
    client.post(url, formulario_admin(client, url, nombre="Garita techada"))
    ficha = client.get(url).content.decode()
    enlace = f"/admin/nucleo/historial/?method=tracks&amp;obj=proyectos.Proyecto:{proyecto.pk}"
    assert enlace in ficha
    historial = client.get(enlace.replace("&amp;", "&")).content.decode()
    assert "Cambios (antes → después)" in historial
    assert "<b>nombre</b>: Garita → Garita techada" in historial
    assert "planificadora" in historial
