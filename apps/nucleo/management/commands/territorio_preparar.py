"""Orden: deja la base lista para servir (idempotente). La usa ./run serve."""

import os

from django.conf import settings
from django.core.management import call_command

from apps.comunas.selectors import comuna_configurada
from apps.demo.services import hay_demo
from apps.nucleo.roles import roles_sincronizar
from apps.nucleo.services import administrador_asegurar
from capas.management.orden import Orden


class Command(Orden):
    """Prepara la base de forma idempotente."""

    help = "Migra, crea roles, carga la comuna, la demostración y el administrador si faltan."

    def add_arguments(self, parser):
        parser.add_argument("--sin-demo", action="store_true", help="No carga la demostración.")

    def handle(self, *args, **opciones):
        call_command("migrate", interactive=False, verbosity=0)
        roles_sincronizar()
        comuna = comuna_configurada()
        primera_vez = comuna is None
        if primera_vez:
            archivo = os.environ.get("TERRITORIO_COMUNA_ARCHIVO")
            call_command("comuna_cargar", *(["--archivo", archivo] if archivo else []), stdout=self.stdout)
            comuna = comuna_configurada()
        # La demo se carga solo en la primera preparación: si después se elimina, no vuelve sola.
        if opciones["sin_demo"]:
            self.stdout.write("Demostración omitida (--sin-demo).")
        elif primera_vez:
            call_command("demo_cargar", stdout=self.stdout)
        elif hay_demo():
            self.stdout.write("Demostración cargada (quítela con: ./run manage demo_eliminar).")
        else:
            self.stdout.write("Sin demostración (cárguela con: ./run manage demo_cargar).")
        usuario = os.environ.get("TERRITORIO_ADMIN_USUARIO") or "admin"
        cuenta, generada = administrador_asegurar(
            usuario=usuario, clave=os.environ.get("TERRITORIO_ADMIN_CLAVE") or None
        )
        if generada:
            self.stdout.write(
                self.style.WARNING(
                    f"Administrador creado: usuario «{cuenta.username}», clave «{generada}». "
                    "Anótela: no se volverá a mostrar."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(f"Territorio listo para {comuna} (CUT {settings.TERRITORIO_COMUNA_CUT}).")
        )
