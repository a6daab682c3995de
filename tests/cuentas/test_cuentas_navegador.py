"""En un navegador real: el administrador crea e invita cuentas y ellas ingresan por la misma página."""

import re

import pytest

from apps.nucleo.roles import ADMINISTRADOR
from tests.conftest import usuario_de_servidor
from tests.navegador import pagina

pytestmark = pytest.mark.servidor
CLAVE_JEFA = "una-clave-larga-9"


def _ingresar(p, servidor, usuario, clave, ruta="/ingresar/"):
    p.goto(f"{servidor}{ruta}")
    p.fill("#id_username", usuario)
    p.fill("#id_password", clave)
    p.click("main button[type=submit]")
    p.wait_for_load_state()


def test_admin_crea_planificador_e_invita_consulta_y_ambos_ingresan(servidor, comuna):
    usuario_de_servidor("jefa", CLAVE_JEFA, rol=ADMINISTRADOR)
    with pagina(servidor) as p:
        # El ingreso del admin es la página del sitio.
        p.goto(f"{servidor}/admin/login/")
        assert p.url == f"{servidor}/ingresar/?next=%2Fadmin%2F"
        assert "Ingresar a Territorio" in p.content()
        _ingresar(p, servidor, "jefa", CLAVE_JEFA, ruta="/admin/login/")
        assert p.url == f"{servidor}/admin/" and "Registros de la SECPLAC" in p.title()

        p.goto(f"{servidor}/cuentas/nueva/")
        p.fill("#id_nombre", "Paula")
        p.fill("#id_apellido", "Rivas")
        p.fill("#id_usuario", "privas")
        p.select_option("#id_rol", "Planificador")
        p.check("input[name=acceso][value=clave]")
        p.fill("#id_clave", "otra-clave-larga-7")
        p.fill("#id_clave_repetida", "otra-clave-larga-7")
        p.click("main button[type=submit]")
        p.wait_for_url(f"{servidor}/cuentas/")
        fila = p.locator("tr", has_text="privas")
        assert "Planificador" in fila.inner_text() and "nunca" in fila.inner_text()
        assert "Cuenta «privas» creada con rol Planificador." in p.content()

        p.goto(f"{servidor}/cuentas/nueva/")
        p.fill("#id_nombre", "Tomás")
        p.fill("#id_usuario", "concejal")
        p.select_option("#id_rol", "Consulta")
        p.click("main button[type=submit]")  # la invitación es la opción por omisión
        enlace = p.input_value("#enlace-invitacion")
        assert re.match(rf"{re.escape(servidor)}/cuentas/clave/[^/]+/[^/]+/$", enlace)
        p.context.clear_cookies()

        _ingresar(p, servidor, "privas", "otra-clave-larga-7")
        assert p.url == f"{servidor}/" and "Administración de datos" in p.content()
        assert "Cuentas y roles" not in p.content()
        p.goto(f"{servidor}/admin/proyectos/proyecto/")
        assert "Seleccione proyecto a modificar" in p.title()
        p.context.clear_cookies()

        p.goto(enlace)
        p.fill("#id_new_password1", "clave-del-concejal-3")
        p.fill("#id_new_password2", "clave-del-concejal-3")
        p.click("main button[type=submit]")
        assert "Clave fijada" in p.content()
        _ingresar(p, servidor, "concejal", "clave-del-concejal-3")
        assert p.url == f"{servidor}/"
        assert "Cuentas y roles" not in p.content() and "Administración de datos" not in p.content()
        respuesta = p.goto(f"{servidor}/cuentas/")
        assert respuesta.status == 403 and "No tiene permiso para esta página" in p.content()
        p.goto(enlace)
        assert "Enlace no válido" in p.content()
        assert not p.errores and not p.externas, (p.errores, p.externas)
