"""Orden: crea o ajusta los grupos de roles y sus permisos."""

from apps.nucleo.roles import roles_sincronizar
from capas.management.orden import Orden


class Command(Orden):
    """Sincroniza los roles."""

    help = "Crea o ajusta los roles Administrador, Planificador y Consulta con sus permisos."

    def handle(self, *args, **opciones):
        for rol, n in roles_sincronizar().items():
            self.stdout.write(f"{rol}: {n} permisos")
