"""Lecturas de cuentas para las páginas del administrador."""

from django.contrib.auth import get_user_model

from apps.nucleo.roles import ROLES


def cuentas_con_rol():
    """Devuelve las cuentas ordenadas por usuario, cada una con ``rol`` (su rol de Territorio o None)."""
    cuentas = list(get_user_model().objects.prefetch_related("groups").order_by("username"))
    for cuenta in cuentas:
        nombres = {g.name for g in cuenta.groups.all()}
        cuenta.rol = next((rol for rol in ROLES if rol in nombres), None)
    return cuentas
