"""Versión de capa: cambia con toda escritura a su tabla fuente (ORM, admin, SQL, importación).

La sube un trigger de sentencia (migración ``capas.0006_version_capa``) y la lee
``public.capas_version_de(tabla, capa_id)`` en la misma sentencia que arma la tesela: versión y
contenido salen de una sola instantánea, así que una tesela guardada con la versión v es la de v.
Las capas importadas comparten ``capas_elementoreferencia`` y tienen versión por ``capa_id``; las de
dominio, una por tabla. Tras migrar se instalan los triggers en la tabla de cada capa registrada.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from capas.registro import Capa, registro

TABLA_POR_CAPA = "capas_elementoreferencia"


def clave(capa: Capa) -> tuple[str, int]:
    """Devuelve (tabla, capa_id) con que se lleva la versión de la capa (capa_id 0: toda la tabla)."""
    tabla = capa.fuente.tabla.strip('"')
    if tabla == TABLA_POR_CAPA:
        return tabla, int(capa.fuente.parametros[0])
    return tabla, 0


def tablas_registradas() -> list[str]:
    """Devuelve las tablas fuente de las capas estáticas (las de dominio), sin repetir."""
    return sorted(
        {clave(c)[0] for c in registro.todas(todas=True) if c.origen != "importada"} - {TABLA_POR_CAPA}
    )


def instalar_triggers(*, using: str = DEFAULT_DB_ALIAS, **_) -> None:
    """Instala (idempotente) los triggers de versión en las tablas de las capas registradas.

    Receptor de ``post_migrate``: corre como el dueño de las tablas, que migra.
    """
    conexion = connections[using]
    with conexion.cursor() as cursor:
        cursor.execute("SELECT to_regnamespace('capas_version') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return  # migración deshecha o aún no aplicada
        for tabla in tablas_registradas():
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{tabla}"'])
            if cursor.fetchone()[0]:
                cursor.execute("SELECT capas_version.instalar(%s::regclass, false)", [f'"{tabla}"'])


def version(capa: Capa, *, using: str = DEFAULT_DB_ALIAS) -> int | None:
    """Devuelve la versión actual de la capa (None si su tabla no está vigilada)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT public.capas_version_de(%s, %s)", clave(capa))
        return cursor.fetchone()[0]
