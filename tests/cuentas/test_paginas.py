"""Cuentas y roles desde las páginas del administrador: alta, invitación, rol y acceso."""

import re

from django.core import mail

from apps.nucleo.roles import ADMINISTRADOR, CONSULTA, PLANIFICADOR


def _nueva(client, **extra):
    datos = {
        "nombre": "Paula",
        "apellido": "Rivas",
        "usuario": "privas",
        "correo": "privas@muni.cl",
        "rol": PLANIFICADOR,
        "acceso": "clave",
        "clave": "una-clave-larga-9",
        "clave_repetida": "una-clave-larga-9",
    }
    datos.update(extra)
    return client.post("/cuentas/nueva/", datos)


def test_admin_crea_planificador_que_ingresa_y_trabaja_sin_marcar_staff(
    administrador, client, django_user_model
):
    client.force_login(administrador)
    respuesta = _nueva(client)
    assert respuesta.status_code == 302 and respuesta["Location"] == "/cuentas/"
    cuenta = django_user_model.objects.get(username="privas")
    assert cuenta.get_full_name() == "Paula Rivas"
    assert [g.name for g in cuenta.groups.all()] == [PLANIFICADOR]
    assert cuenta.is_staff and not cuenta.is_superuser  # derivado del rol
    lista = client.get("/cuentas/").content.decode()
    assert "privas@muni.cl" in lista and "nunca" in lista and "2 cuentas" in lista

    client.logout()
    ingreso = client.post("/ingresar/", {"username": "privas", "password": "una-clave-larga-9"})
    assert ingreso.status_code == 302
    assert client.get("/admin/proyectos/proyecto/add/").status_code == 200
    assert client.get("/cuentas/").status_code == 403
    cuenta.refresh_from_db()
    assert cuenta.last_login is not None


def test_consulta_no_tiene_admin_ni_cuentas(administrador, client, django_user_model):
    client.force_login(administrador)
    _nueva(client, usuario="concejala", rol=CONSULTA)
    cuenta = django_user_model.objects.get(username="concejala")
    assert not cuenta.is_staff
    client.force_login(cuenta)
    inicio = client.get("/").content.decode()
    assert "Cuentas y roles" not in inicio and "Administración de datos" not in inicio
    prohibido = client.get("/cuentas/")
    assert prohibido.status_code == 403
    html = prohibido.content.decode()
    assert "No tiene permiso para esta página" in html and 'class="barra navbar' in html
    assert client.get("/cuentas/nueva/").status_code == 403
    admin = client.get("/admin/", follow=True)
    assert admin.status_code == 403 and "administración de datos" in admin.content.decode()


def test_invitacion_fija_la_clave_una_sola_vez_y_luego_ingresa(administrador, client, django_user_model):
    client.force_login(administrador)
    respuesta = _nueva(client, acceso="invitar", clave="", clave_repetida="")
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    enlace = re.search(r'value="(http://testserver/cuentas/clave/[^"]+)"', html).group(1)
    cuenta = django_user_model.objects.get(username="privas")
    assert not cuenta.has_usable_password()
    assert len(mail.outbox) == 1 and enlace in mail.outbox[0].body  # pruebas: buzón en memoria
    client.logout()

    ruta = enlace.removeprefix("http://testserver")
    formulario = client.get(ruta, follow=True)
    assert "Fije su clave" in formulario.content.decode()
    fijada = client.post(
        formulario.redirect_chain[-1][0],
        {"new_password1": "otra-clave-larga-7", "new_password2": "otra-clave-larga-7"},
        follow=True,
    )
    assert "Clave fijada" in fijada.content.decode()
    assert (
        client.post("/ingresar/", {"username": "privas", "password": "otra-clave-larga-7"}).status_code == 302
    )
    client.logout()
    # El enlace ya no sirve.
    assert "Enlace no válido" in client.get(ruta, follow=True).content.decode()


def test_claves_distintas_y_usuario_repetido_se_explican(administrador, client):
    client.force_login(administrador)
    html = _nueva(client, clave_repetida="no-coincide-9").content.decode()
    assert "Las dos claves no coinciden." in html
    html = _nueva(client, usuario="JEFA").content.decode()
    assert "Ya existe una cuenta con ese nombre de usuario." in html
    html = _nueva(client, clave="12345678", clave_repetida="12345678").content.decode()
    assert "numérica" in html


def test_el_ultimo_administrador_no_se_quita_el_rol_ni_se_desactiva(administrador, client):
    client.force_login(administrador)
    url = f"/cuentas/{administrador.pk}/editar/"
    html = client.post(url, {"rol": CONSULTA, "activa": "on"}).content.decode()
    assert "último Administrador activo" in html
    html = client.post(url, {"rol": ADMINISTRADOR}).content.decode()
    assert "No puede desactivar su propia cuenta." in html
    administrador.refresh_from_db()
    assert administrador.is_active and administrador.groups.get().name == ADMINISTRADOR


def test_admin_cambia_rol_y_desactiva(administrador, consulta, client):
    client.force_login(administrador)
    respuesta = client.post(f"/cuentas/{consulta.pk}/editar/", {"rol": PLANIFICADOR, "activa": "on"})
    assert respuesta.status_code == 302
    consulta.refresh_from_db()
    assert consulta.groups.get().name == PLANIFICADOR and consulta.is_staff
    client.post(f"/cuentas/{consulta.pk}/editar/", {"rol": CONSULTA})
    consulta.refresh_from_db()
    assert not consulta.is_active and not consulta.is_staff
    client.logout()
    assert (
        client.post("/ingresar/", {"username": "concejal", "password": "clave-de-prueba-1"}).status_code
        == 200
    )


def test_correo_caido_no_impide_invitar(administrador, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 1, False  # nadie escucha
    client.force_login(administrador)
    respuesta = _nueva(client, acceso="invitar", clave="", clave_repetida="")
    html = respuesta.content.decode()
    assert respuesta.status_code == 200 and "/cuentas/clave/" in html
    assert "el envío falló" in html
