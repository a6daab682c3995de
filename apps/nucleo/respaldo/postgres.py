"""PostgreSQL para respaldos: conexión de settings, binarios de la versión del servidor e inventario."""

import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from psycopg import sql

from apps.nucleo.respaldo import RespaldoError

# Relaciones propias de la base: fuera de los esquemas del sistema y sin las que crea una extensión
# (spatial_ref_sys de PostGIS no cuenta para decidir si la base está vacía).
_RELACIONES = """
SELECT n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = ANY(%s)
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%%'
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY 1, 2
"""
_TABLAS = ["r", "p"]
_CUALQUIER_RELACION = ["r", "p", "v", "m", "S", "f"]


@dataclass(frozen=True)
class Conexion:
    """Cómo llegan pg_dump y pg_restore a la base de un alias de Django (sin cadena de shell)."""

    alias: str
    base: str
    argumentos: tuple[str, ...]
    entorno: dict

    def orden(self, binario: Path, *opciones: str) -> list[str]:
        """Devuelve la lista de argumentos para ``binario`` contra esta base."""
        return [str(binario), *opciones, *self.argumentos, "--no-password", "--dbname", self.base]


def conexion(alias: str = "default") -> Conexion:
    """Devuelve la conexión del alias ``alias`` de DATABASES (socket unix o TCP, clave por PGPASSWORD)."""
    ajustes = connections[alias].settings_dict
    argumentos = []
    if ajustes.get("HOST"):
        argumentos += ["--host", str(ajustes["HOST"])]
    if ajustes.get("PORT"):
        argumentos += ["--port", str(ajustes["PORT"])]
    if ajustes.get("USER"):
        argumentos += ["--username", str(ajustes["USER"])]
    entorno = {**os.environ, "PGAPPNAME": "territorio-respaldo"}
    if ajustes.get("PASSWORD"):
        entorno["PGPASSWORD"] = str(ajustes["PASSWORD"])
    if ajustes.get("OPTIONS", {}).get("sslmode"):
        entorno["PGSSLMODE"] = str(ajustes["OPTIONS"]["sslmode"])
    return Conexion(alias=alias, base=ajustes["NAME"], argumentos=tuple(argumentos), entorno=entorno)


@contextmanager
def conexion_directa(alias: str = "default", *, base: str | None = None):
    """Abre una conexión psycopg propia (fuera de las transacciones de Django) y la cierra al salir."""
    envoltorio = connections[alias]
    parametros = envoltorio.get_connection_params()
    if base:
        parametros["dbname"] = base
    crudo = envoltorio.get_new_connection(parametros)
    try:
        yield crudo
    finally:
        crudo.close()


def version_mayor(crudo) -> int:
    """Devuelve la versión mayor del servidor (15 para 15.x)."""
    return int(crudo.execute("SHOW server_version_num").fetchone()[0]) // 10000


def versiones(crudo) -> dict:
    """Devuelve las versiones de PostgreSQL y de PostGIS (None si la base no tiene PostGIS)."""
    postgres = crudo.execute("SHOW server_version").fetchone()[0]
    fila = crudo.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'").fetchone()
    return {"postgresql": postgres, "postgis": fila[0] if fila else None}


def extensiones(crudo) -> set[str]:
    """Devuelve los nombres de las extensiones instaladas (sin plpgsql, que trae toda base)."""
    return {fila[0] for fila in crudo.execute("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'")}


def tablas_de_configuracion(crudo) -> set[tuple[str, str]]:
    """Devuelve (esquema, tabla) de las tablas de configuración de las extensiones (spatial_ref_sys)."""
    return set(
        crudo.execute(
            "SELECT n.nspname, c.relname FROM pg_extension e, unnest(e.extconfig) AS t(oid) "
            "JOIN pg_class c ON c.oid = t.oid JOIN pg_namespace n ON n.oid = c.relnamespace"
        ).fetchall()
    )


def relaciones(crudo, *, solo_tablas: bool = True) -> list[tuple[str, str]]:
    """Devuelve (esquema, nombre) de las tablas propias de la base (o de toda relación propia)."""
    return crudo.execute(_RELACIONES, [_TABLAS if solo_tablas else _CUALQUIER_RELACION]).fetchall()


def filas_por_tabla(crudo) -> dict[str, int]:
    """Devuelve el número exacto de filas de cada tabla propia, como {"esquema.tabla": n}."""
    conteos = {}
    for esquema, tabla in relaciones(crudo):
        consulta = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(esquema, tabla))
        conteos[f"{esquema}.{tabla}"] = crudo.execute(consulta).fetchone()[0]
    return conteos


def binario(nombre: str, mayor: int) -> Path:
    """Devuelve pg_dump o pg_restore de la versión ``mayor`` del servidor (o una posterior en el PATH)."""
    debian = Path(f"/usr/lib/postgresql/{mayor}/bin/{nombre}")
    if debian.is_file():
        return debian
    en_path = shutil.which(nombre)
    if en_path:
        salida = subprocess.run([en_path, "--version"], capture_output=True, text=True, check=False).stdout
        encontrada = re.search(r"(\d+)(?:\.\d+)?", salida)
        if encontrada and int(encontrada.group(1)) >= mayor:
            return Path(en_path)
    raise RespaldoError(
        f"No se encontró {nombre} {mayor} (el servidor es PostgreSQL {mayor}); instale "
        f"postgresql-client-{mayor}."
    )


def correr(orden: list[str], conexion_base: Conexion, *, que: str) -> subprocess.CompletedProcess:
    """Corre un binario de PostgreSQL; si falla, lanza RespaldoError con su último mensaje."""
    resultado = subprocess.run(orden, env=conexion_base.entorno, capture_output=True, text=True, check=False)
    if resultado.returncode != 0:
        lineas = [linea for linea in resultado.stderr.splitlines() if linea.strip()]
        detalle = " | ".join(lineas[-3:]) or f"código {resultado.returncode}"
        raise RespaldoError(f"{que} falló: {detalle}")
    return resultado
