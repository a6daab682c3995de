"""Orden: elimina todos los datos de demostración, sin tocar los reales."""

from django.core.management.base import CommandError

from apps.demo.services import DemoConDependencias, demo_eliminar
from capas.management.orden import Orden


class Command(Orden):
    """Elimina la demostración."""

    help = "Elimina todos los registros de demostración (es_demo), sin tocar los datos reales."

    def handle(self, *args, **opciones):
        try:
            total = demo_eliminar()
        except DemoConDependencias as error:
            raise CommandError(str(error))
        self.stdout.write(self.style.SUCCESS(f"Datos de demostración eliminados: {total} registros."))
