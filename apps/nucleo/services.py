"""Escrituras de la plataforma: cuentas de usuario."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from apps.nucleo.auditoria import contexto_auditoria
from apps.nucleo.roles import ADMINISTRADOR, usuario_asignar_rol


@transaction.atomic
def administrador_asegurar(*, usuario: str, clave: str | None) -> tuple[object, str | None]:
    """Crea el administrador si no existe; devuelve (usuario, clave generada o None).

    Con ``clave`` dada se usa esa (y se actualiza si cambió); sin ella se genera una sola vez.
    """
    modelo = get_user_model()
    with contexto_auditoria(origen="administrador_asegurar"):
        cuenta = modelo.objects.filter(username=usuario).first()
        if cuenta is None:
            generada = None if clave else secrets.token_urlsafe(12)
            cuenta = modelo.objects.create_superuser(username=usuario, email="", password=clave or generada)
            usuario_asignar_rol(usuario=cuenta, rol=ADMINISTRADOR)
            return cuenta, generada
        if clave and not cuenta.check_password(clave):
            cuenta.set_password(clave)
            cuenta.save(update_fields=["password"])
        return cuenta, None
