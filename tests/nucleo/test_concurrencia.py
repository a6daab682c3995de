"""Ediciones concurrentes: el segundo en guardar recibe un conflicto, nunca sobrescribe."""

import pytest
from django.db import transaction

from apps.nucleo.concurrencia import ConflictoEdicion
from apps.proyectos.models import Proyecto
from tests.factories import ProyectoFactory
from tests.nucleo.formularios import formulario_admin


def test_segundo_guardado_sobre_version_vieja_es_conflicto(comuna):
    original = ProyectoFactory(comuna=comuna, nombre="Plaza")
    ana = Proyecto.objects.get(pk=original.pk)
    beto = Proyecto.objects.get(pk=original.pk)
    ana.nombre = "Plaza de Ana"
    ana.save()
    beto.nombre = "Plaza de Beto"
    with pytest.raises(ConflictoEdicion, match="Otro usuario modificó «Plaza de Beto»"), transaction.atomic():
        beto.save()
    assert Proyecto.objects.get(pk=original.pk).nombre == "Plaza de Ana"
    assert Proyecto.objects.get(pk=original.pk).version == ana.version == original.version + 1


def test_en_el_admin_el_segundo_formulario_recibe_el_conflicto(comuna, planificador, client):
    proyecto = ProyectoFactory(comuna=comuna, nombre="Sede social")
    client.force_login(planificador)
    url = f"/admin/proyectos/proyecto/{proyecto.pk}/change/"
    # Ambos abren el formulario con la misma versión; el primero guarda.
    de_ana = formulario_admin(client, url, nombre="Sede social Los Robles")
    de_beto = formulario_admin(client, url, nombre="Sede social Hualpín")
    primero = client.post(url, de_ana)
    assert primero.status_code == 302
    segundo = client.post(url, de_beto)
    assert segundo.status_code == 200
    assert "Otro usuario modificó" in segundo.content.decode()
    assert Proyecto.objects.get(pk=proyecto.pk).nombre == "Sede social Los Robles"


def test_actualizacion_masiva_sube_la_version_y_deja_obsoletas_las_copias(comuna):
    proyecto = ProyectoFactory(comuna=comuna, etapa="perfil")
    abierta = Proyecto.objects.get(pk=proyecto.pk)
    Proyecto.objects.filter(pk=proyecto.pk).update(etapa="diseno")
    assert Proyecto.objects.get(pk=proyecto.pk).version == abierta.version + 1
    abierta.nombre = "Cambio sobre una copia vieja"
    with pytest.raises(ConflictoEdicion), transaction.atomic():
        abierta.save()
    assert Proyecto.objects.get(pk=proyecto.pk).etapa == "diseno"


def test_guardado_normal_sube_la_version_una_sola_vez(comuna):
    proyecto = ProyectoFactory(comuna=comuna)
    version = proyecto.version
    proyecto.nombre = "Otro nombre"
    proyecto.save()
    assert proyecto.version == version + 1
    assert Proyecto.objects.get(pk=proyecto.pk).version == version + 1
    proyecto.nombre = "Tercer nombre"
    proyecto.save()  # la copia en memoria sigue al día: no hay conflicto consigo misma
    assert Proyecto.objects.get(pk=proyecto.pk).version == version + 2
