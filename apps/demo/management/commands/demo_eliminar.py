"""Orden: elimina todos los datos de demostración, sin tocar los reales."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from apps.demo.services import demo_eliminar


class Command(BaseCommand):
    help = "Elimina todos los registros de demostración (es_demo), sin tocar los datos reales."

    def handle(self, *args, **opciones):
        try:
            total = demo_eliminar()
        except ProtectedError as error:
            raise CommandError(
                "No se eliminó nada: hay datos reales que dependen de registros de demostración "
                f"({', '.join(sorted({str(o) for o in error.protected_objects})[:5])})."
            )
        self.stdout.write(self.style.SUCCESS(f"Datos de demostración eliminados: {total} registros."))
