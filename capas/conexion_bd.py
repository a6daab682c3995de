"""Qué error de la base es una falla de conexión (el servidor no contesta) y no de la operación.

Lo usan las páginas (503 con Retry-After) y las órdenes («No se pudo conectar…»): un tope de tiempo,
un bloqueo mutuo o el disco lleno también son OperationalError, pero no se arreglan reintentando.
"""

import psycopg
from django.db import InterfaceError, OperationalError

# Fallas de conexión de Django y de psycopg (los cursores de teselas usan psycopg directo).
ERRORES_DE_CONEXION = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)
# SQLSTATE de conexión (clase 08) y de servidor que se apaga o reinicia.
_CLASE_CONEXION = "08"
_SQLSTATE_REINICIO = frozenset({"57P01", "57P02", "57P03"})


def es_error_de_conexion(error: BaseException | None) -> bool:
    """Indica si ``error`` (o su causa) es una falla de conexión con la base de datos."""
    while error is not None:
        if isinstance(error, ERRORES_DE_CONEXION):
            estado = getattr(error, "sqlstate", None) or getattr(error.__cause__, "sqlstate", None)
            # Sin SQLSTATE: no hubo servidor que contestara (socket ausente, conexión rechazada).
            return estado is None or estado.startswith(_CLASE_CONEXION) or estado in _SQLSTATE_REINICIO
        error = error.__cause__
    return False
