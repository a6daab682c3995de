"""Conexiones con otro rol a la misma base: el dueño para migrar, un administrador para crear roles."""

import re
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql

# Nombres de rol y de esquema que Territorio crea: sin comillas ni mayúsculas, así no hay que escapar.
_IDENTIFICADOR = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def identificador(nombre: str) -> str:
    """Devuelve ``nombre`` entre comillas dobles si es un identificador simple; si no, ValueError."""
    if not _IDENTIFICADOR.match(nombre):
        raise ValueError(
            f"«{nombre}» no es un nombre válido: use minúsculas, dígitos y _ "
            "(máximo 63, sin empezar con dígito)."
        )
    return f'"{nombre}"'


def citado(nombre: str) -> str:
    """Devuelve cualquier nombre (tabla, base) como identificador SQL citado, con sus comillas escapadas."""
    return sql.Identifier(nombre).as_string(None)


def literal(texto: str) -> str:
    """Devuelve ``texto`` como literal SQL (para sentencias sin parámetros, como DDL)."""
    return "'" + str(texto).replace("'", "''") + "'"


@contextmanager
def conexion_como(credenciales: dict | None, *, using: str = DEFAULT_DB_ALIAS):
    """Conecta ``using`` con otras credenciales (usuario, clave, host, puerto) mientras dure.

    La base sigue siendo la de la conexión (en pruebas, la de pruebas). Sin credenciales no cambia nada.
    """
    if not credenciales:
        yield connections[using]
        return
    conexion = connections[using]
    original = {clave: conexion.settings_dict.get(clave) for clave in credenciales}
    conexion.close()
    conexion.settings_dict.update(credenciales)
    try:
        yield conexion
    finally:
        conexion.close()
        conexion.settings_dict.update(original)


def usuario_actual(using: str = DEFAULT_DB_ALIAS) -> str:
    """Devuelve el rol con que está conectada ``using``."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]
