"""Orden: restaura un respaldo en una base vacía y en MEDIA_ROOT. La usa ./run restaurar."""

from pathlib import Path

from django.core.management.base import CommandError

from apps.nucleo.respaldo import RespaldoError
from apps.nucleo.respaldo.restaurar import respaldo_restaurar
from capas.management.orden import Orden


class Command(Orden):
    """Restaura un respaldo creado con respaldo_crear."""

    help = (
        "Verifica cada sha256 del respaldo antes de tocar nada y lo restaura (pg_restore en una sola "
        "transacción, como el rol que conecta) en una base vacía, con sus archivos en MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo", type=Path, help="Respaldo (.tar o .tar.gz) creado con ./run respaldo.")
        parser.add_argument(
            "--forzar",
            action="store_true",
            help="Reemplaza el contenido de una base no vacía y los archivos distintos de MEDIA_ROOT.",
        )
        parser.add_argument("--database", default="default", help="Alias de la base en DATABASES.")

    def handle(self, *args, **opciones):
        try:
            resumen = respaldo_restaurar(
                archivo=opciones["archivo"], forzar=opciones["forzar"], alias=opciones["database"]
            )
        except RespaldoError as error:
            raise CommandError(str(error))
        except OSError as error:
            raise CommandError(f"No se completó la restauración: error de disco ({error.strerror or error}).")
        manifiesto = resumen.manifiesto
        self.stdout.write(
            self.style.SUCCESS(
                f"Respaldo del {manifiesto['creado']} (comuna {manifiesto['comuna_cut']}) restaurado: "
                f"{resumen.tablas} tablas, {resumen.filas} filas; "
                f"{resumen.archivos_copiados} archivos copiados a MEDIA_ROOT "
                f"({resumen.archivos_iguales} ya estaban iguales)."
            )
        )
        self.stdout.write(
            "Los permisos del rol de la aplicación se otorgaron de nuevo; si usaba el acceso directo de "
            "QGIS, vuelva a correr qgis_acceso_crear."
        )
