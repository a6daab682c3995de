"""Base de las órdenes de manage.py del proyecto: ante una falla, una línea en español y código 1.

Django ya convierte ``CommandError`` en una línea, pero un rechazo de un servicio, una
``ValidationError``, la base caída o un error imprevisto salían como traza completa. Aquí todo fallo
se resume en una línea (la traza sigue disponible con ``--traceback``). Vive en ``capas`` porque las
apps pueden importar capas y no al revés.
"""

import logging
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from capas.conexion_bd import es_error_de_conexion
from capas.importacion.informe import ImportacionRechazada


def una_linea(texto: str) -> str:
    """Devuelve ``texto`` en una línea: la primera, y las siguientes (detalles) entre paréntesis."""
    lineas = [linea.strip() for linea in str(texto).splitlines() if linea.strip()]
    if not lineas:
        return ""
    primera, resto = lineas[0], [linea.removeprefix("- ").strip() for linea in lineas[1:]]
    return f"{primera} ({'; '.join(resto)})" if resto else primera


def mensaje_de(error: BaseException) -> str:
    """Devuelve el mensaje en español, de una línea, que resume ``error``."""
    if isinstance(error, CommandError | ImportacionRechazada):
        return una_linea(str(error))
    if isinstance(error, ValidationError):
        return una_linea(" ".join(error.messages))
    if es_error_de_conexion(error):
        detalle = una_linea(str(error)).removeprefix("connection is bad: ")
        return f"No se pudo conectar a la base de datos: {detalle}"
    if isinstance(error, DatabaseError):
        return f"La base de datos rechazó la operación: {una_linea(str(error))}"
    detalle = una_linea(str(error))
    return (
        f"Error inesperado ({type(error).__name__}{': ' + detalle if detalle else ''}). "
        "Repita la orden con --traceback para ver el detalle."
    )


class Orden(BaseCommand):
    """Orden del proyecto: cualquier falla sale como una línea en español y código de salida 1."""

    _desde_consola = False

    def run_from_argv(self, argv):
        """Marca que la orden corre desde la consola (no desde ``call_command``)."""
        self._desde_consola = True
        super().run_from_argv(argv)

    def execute(self, *args, **opciones):
        """Ejecuta la orden; ante una falla escribe una línea y sale con 1, o lanza CommandError.

        Con ``--traceback`` la excepción original sigue su curso. Llamada con ``call_command`` (desde
        otra orden o una prueba) lanza ``CommandError`` con la misma línea.
        """
        if self._desde_consola and opciones.get("verbosity", 1) < 2:
            # En la consola el registro INFO (avisos de GDAL, rechazos) ensuciaría la línea de error;
            # con -v 2 se ve todo.
            logging.getLogger().setLevel(logging.WARNING)
        try:
            return super().execute(*args, **opciones)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:
            if opciones.get("traceback"):
                raise
            mensaje = mensaje_de(error)
            if not self._desde_consola:
                raise CommandError(mensaje) from error
            # BaseCommand.run_from_argv escribiría «CommandError: …»: la línea sale tal cual.
            self.stderr.write(mensaje)
            sys.exit(getattr(error, "returncode", 1) or 1)
