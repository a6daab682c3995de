"""Orden: crea o ajusta los grupos de roles y sus permisos."""

from django.core.management.base import BaseCommand

from apps.nucleo.roles import roles_sincronizar


class Command(BaseCommand):
    """Sincroniza los roles."""

    help = "Crea o ajusta los roles Administrador, Planificador y Consulta con sus permisos."

    def handle(self, *args, **opciones):
        for rol, n in roles_sincronizar().items():
            self.stdout.write(f"{rol}: {n} permisos")
