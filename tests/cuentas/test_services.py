"""Servicios de cuentas: rol único, is_staff derivado, auditoría con actor y el último Administrador."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from apps.cuentas import services
from apps.nucleo.models import CuentaEvento, MembresiaRolEvento
from apps.nucleo.roles import ADMINISTRADOR, CONSULTA, PLANIFICADOR, roles_sincronizar


def _datos(**extra):
    return services.DatosCuenta(
        **{"nombre": "Ana", "apellido": "Soto", "usuario": "asoto", "correo": "", "rol": CONSULTA, **extra}
    )


def test_crear_deja_auditoria_con_el_administrador_como_actor(administrador):
    cuenta = services.cuenta_crear(datos=_datos(), clave=None, actor=administrador)
    alta = CuentaEvento.objects.get(pgh_obj_id=cuenta.pk, pgh_label="alta")
    assert alta.pgh_context.metadata["user"] == administrador.pk
    assert alta.pgh_context.metadata["origen"] == "cuentas"
    rol = MembresiaRolEvento.objects.get(user_id=cuenta.pk, pgh_label="alta")
    assert rol.group_id == Group.objects.get(name=CONSULTA).pk
    assert not cuenta.has_usable_password() and not cuenta.is_staff


def test_rol_desconocido_y_clave_debil_se_rechazan_sin_crear_nada(administrador, django_user_model):
    with pytest.raises(ValidationError) as error:
        services.cuenta_crear(datos=_datos(rol="Superjefe"), clave=None, actor=administrador)
    assert "rol" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.cuenta_crear(datos=_datos(usuario="ana"), clave="ana", actor=administrador)
    assert "clave" in error.value.message_dict
    assert not django_user_model.objects.filter(username__in=["asoto", "ana"]).exists()


def test_con_dos_administradores_uno_puede_dejar_de_serlo(administrador):
    otra = services.cuenta_crear(datos=_datos(rol=ADMINISTRADOR), clave=None, actor=administrador)
    assert otra.is_staff
    services.cuenta_cambiar_rol(cuenta=administrador, rol=PLANIFICADOR, actor=administrador)
    with pytest.raises(ValidationError, match="último Administrador activo"):
        services.cuenta_cambiar_rol(cuenta=otra, rol=CONSULTA, actor=otra)
    with pytest.raises(ValidationError, match="último Administrador activo"):
        services.cuenta_desactivar(cuenta=otra, actor=administrador)


def test_roles_sincronizar_corrige_el_staff_de_cuentas_antiguas(administrador, consulta, planificador):
    consulta.is_staff = True  # como quedaban antes: todas las cuentas con rol eran staff
    consulta.save()
    planificador.is_staff = False
    planificador.save()
    roles_sincronizar()
    consulta.refresh_from_db()
    planificador.refresh_from_db()
    assert not consulta.is_staff and planificador.is_staff


def test_invitar_una_cuenta_desactivada_se_rechaza(administrador, consulta):
    services.cuenta_desactivar(cuenta=consulta, actor=administrador)
    with pytest.raises(ValidationError, match="desactivada"):
        services.cuenta_invitar(cuenta=consulta, actor=administrador, url_base="http://x/")


def test_un_administrador_no_toma_la_cuenta_de_un_superusuario(administrador, django_user_model):
    jefe = django_user_model.objects.create_superuser("raiz", password="clave-larga-de-raiz-1")
    clave_antes = jefe.password
    intentos = [
        lambda: services.cuenta_invitar(cuenta=jefe, actor=administrador, url_base="http://testserver"),
        lambda: services.cuenta_cambiar_rol(cuenta=jefe, rol=CONSULTA, actor=administrador),
        lambda: services.cuenta_desactivar(cuenta=jefe, actor=administrador),
    ]
    for intento in intentos:
        with pytest.raises(ValidationError, match="superusuario"):
            intento()
    jefe.refresh_from_db()
    assert jefe.is_active and jefe.password == clave_antes and not jefe.groups.exists()
    # Otro superusuario sí puede.
    otro = django_user_model.objects.create_superuser("raiz2", password="clave-larga-de-raiz-2")
    services.cuenta_desactivar(cuenta=jefe, actor=otro)
    jefe.refresh_from_db()
    assert not jefe.is_active
