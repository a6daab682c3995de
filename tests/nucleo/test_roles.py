"""Roles y acceso: Administrador, Planificador, Consulta (solo lectura); login en todo salvo salud."""

import pytest
from django.contrib.auth.models import Group

from apps.nucleo.roles import ADMINISTRADOR, CONSULTA, DIRECTOR, PLANIFICADOR, roles_sincronizar
from apps.proyectos.models import Proyecto
from tests.factories import CENTRO, ProyectoFactory
from tests.nucleo.formularios import formulario_admin


def test_roles_se_sincronizan_de_forma_idempotente(roles):
    primera = roles_sincronizar()
    assert roles_sincronizar() == primera
    assert set(Group.objects.values_list("name", flat=True)) == {
        ADMINISTRADOR,
        DIRECTOR,
        PLANIFICADOR,
        CONSULTA,
    }
    assert primera[ADMINISTRADOR] > primera[PLANIFICADOR] > primera[DIRECTOR] > primera[CONSULTA] > 0
    # El Director lee como Consulta más los tres pasos del flujo que le tocan.
    assert primera[DIRECTOR] == primera[CONSULTA] + 3


def test_director_lleva_las_propuestas_al_concejo_y_el_planificador_las_envia(planificador, roles):
    director = Group.objects.get(name=DIRECTOR)
    flujo = {p.codename for p in director.permissions.filter(codename__endswith="_propuesta")}
    assert flujo == {"devolver_propuesta", "presentar_propuesta", "decidir_propuesta"}
    assert not director.permissions.filter(codename__startswith=("change_")).exists()
    assert planificador.has_perm("ordenamiento.enviar_propuesta")
    assert planificador.has_perm("ordenamiento.change_propuestausosuelo")
    for codigo in ("devolver_propuesta", "presentar_propuesta", "decidir_propuesta"):
        assert not planificador.has_perm(f"ordenamiento.{codigo}")


def test_consulta_solo_ve(consulta):
    assert consulta.has_perm("proyectos.view_proyecto")
    assert consulta.has_perm("patrimonio.view_concesion")
    assert not consulta.has_perm("proyectos.change_proyecto")
    assert not consulta.has_perm("proyectos.add_proyecto")
    assert not consulta.has_perm("auth.change_user")
    assert not consulta.has_perm("nucleo.view_historial")  # el historial incluye cuentas de usuario


def test_planificador_edita_el_dominio_pero_no_cuentas_ni_comunas(planificador):
    assert planificador.has_perm("proyectos.add_proyecto")
    assert planificador.has_perm("patrimonio.change_bieninmueble")
    assert planificador.has_perm("ordenamiento.delete_propuestausosuelo")
    assert not planificador.has_perm("comunas.change_comuna")
    assert not planificador.has_perm("proyectos.change_fuentefinanciamiento")
    assert not planificador.has_perm("auth.add_user")
    assert planificador.has_perm("nucleo.view_historial")


def test_consulta_no_puede_guardar_en_el_admin(comuna, consulta, client):
    proyecto = ProyectoFactory(comuna=comuna, nombre="Puente")
    client.force_login(consulta)
    assert not consulta.is_staff  # Consulta lee en las páginas del sitio, no entra al admin
    url = f"/admin/proyectos/proyecto/{proyecto.pk}/change/"
    assert client.get(url, follow=True).status_code == 403
    respuesta = client.post(url, {"nombre": "Puente modificado"}, follow=True)
    assert respuesta.status_code == 403
    assert Proyecto.objects.get(pk=proyecto.pk).nombre == "Puente"
    assert client.get("/admin/proyectos/proyecto/add/", follow=True).status_code == 403


def test_planificador_crea_un_proyecto_desde_el_admin(comuna, planificador, client):
    client.force_login(planificador)
    url = "/admin/proyectos/proyecto/add/"
    datos = formulario_admin(
        client,
        url,
        nombre="Sede vecinal",
        tipologia="proyecto",
        etapa="idea",
        institucion="municipal",
        geom=f'{{"type": "Point", "coordinates": [{CENTRO[0]}, {CENTRO[1]}]}}',
    )
    assert datos["comuna"] == str(comuna.pk)  # el admin propone la comuna configurada
    respuesta = client.post(url, datos)
    assert respuesta.status_code == 302
    assert Proyecto.objects.get(nombre="Sede vecinal").geom.equals(ProyectoFactory.build().geom)


def test_admin_muestra_el_error_espacial_en_espanol(comuna, planificador, client):
    client.force_login(planificador)
    url = "/admin/proyectos/proyecto/add/"
    datos = formulario_admin(
        client,
        url,
        nombre="Mal ubicado",
        tipologia="proyecto",
        etapa="idea",
        institucion="municipal",
        geom=f'{{"type": "Point", "coordinates": [{CENTRO[1]}, {CENTRO[0]}]}}',
    )
    respuesta = client.post(url, datos)
    assert respuesta.status_code == 200
    assert "intercambian latitud y longitud" in respuesta.content.decode()
    assert not Proyecto.objects.filter(nombre="Mal ubicado").exists()


@pytest.mark.parametrize("url", ["/", "/admin/", "/admin/proyectos/proyecto/"])
def test_sin_sesion_todo_redirige_al_ingreso(client, db, url):
    respuesta = client.get(url)
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith(("/ingresar/", "/admin/login/"))


def test_salud_responde_sin_sesion_con_version_de_postgis(client, db):
    respuesta = client.get("/salud/")
    assert respuesta.status_code == 200
    assert respuesta.json()["estado"] == "ok"
    assert respuesta.json()["postgis"].startswith("3.")


def test_inicio_resume_solo_lo_que_el_rol_puede_ver(comuna, consulta, client):
    ProyectoFactory(comuna=comuna)
    client.force_login(consulta)
    respuesta = client.get("/")
    filas = {f["nombre"]: f["total"] for f in respuesta.context["resumen"]}
    assert filas["proyectos"] == 1
    assert "Comuna de Teodoro Schmidt" in respuesta.content.decode()


def test_inicio_sin_rol_no_muestra_registros(comuna, django_user_model, client):
    ProyectoFactory(comuna=comuna)
    client.force_login(django_user_model.objects.create_user(username="sin_rol", password="x-clave-1"))
    respuesta = client.get("/")
    assert respuesta.context["resumen"] == []
    assert "Su usuario no tiene registros asignados." in respuesta.content.decode()
