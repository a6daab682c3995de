"""Orden: respalda la base (pg_dump -Fc) y MEDIA_ROOT en un archivo con manifiesto. La usa ./run respaldo."""

from pathlib import Path

from django.core.management.base import CommandError

from apps.nucleo.respaldo import RespaldoError
from apps.nucleo.respaldo.crear import respaldo_crear
from capas.management.orden import Orden


class Command(Orden):
    """Crea un respaldo restaurable del sitio."""

    help = (
        "Respalda la base (pg_dump -Fc de una instantánea) y los archivos de MEDIA_ROOT (rásteres) en un "
        "solo archivo .tar (o .tar.gz) con manifiesto.json: versiones, filas por tabla y sha256 por archivo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--salida",
            type=Path,
            help="Ruta del respaldo (.tar o .tar.gz); por defecto var/respaldos/territorio-<CUT>-<fecha>.tar",
        )
        parser.add_argument("--database", default="default", help="Alias de la base en DATABASES.")

    def handle(self, *args, **opciones):
        try:
            resumen = respaldo_crear(salida=opciones["salida"], alias=opciones["database"])
        except RespaldoError as error:
            raise CommandError(f"No se creó el respaldo. {error}")
        except OSError as error:
            raise CommandError(f"No se creó el respaldo: no se pudo escribir ({error.strerror or error}).")
        for aviso in resumen.avisos:
            self.stderr.write(f"aviso: {aviso}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Respaldo creado: {resumen.ruta} ({resumen.bytes / 1e6:.1f} MB; {resumen.tablas} tablas, "
                f"{resumen.filas} filas, {resumen.archivos_media} archivos de MEDIA_ROOT)."
            )
        )
