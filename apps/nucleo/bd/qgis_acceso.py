"""Rol de solo lectura para QGIS: lo crea o actualiza y arma los datos de conexión."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from apps.nucleo.bd.conexiones import citado, identificador, literal
from apps.nucleo.bd.qgis_vistas import ESQUEMA

# Un lector: sin DDL, sin crear bases ni roles, sin heredar; toda transacción es de solo lectura y
# ninguna consulta pesada queda colgada.
ATRIBUTOS = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS"
# Valores en SQL (se escriben tal cual en ALTER ROLE … SET).
AJUSTES = {
    "default_transaction_read_only": "on",
    "statement_timeout": "'120s'",
    "search_path": f"{ESQUEMA}, public",
}


@dataclass(frozen=True)
class DatosConexion:
    """Datos para conectar QGIS (o psql) con el rol lector."""

    host: str
    puerto: str
    base: str
    usuario: str
    clave: str | None  # None: no cambió (se mostró al crearla)

    def pg_service(self, servicio: str = "territorio") -> str:
        """Devuelve la sección de ``pg_service.conf`` para estos datos."""
        lineas = [f"[{servicio}]", f"host={self.host}", f"port={self.puerto}", f"dbname={self.base}"]
        lineas.append(f"user={self.usuario}")
        if self.clave:
            lineas.append(f"password={self.clave}")
        return "\n".join(lineas)


def clave_generar() -> str:
    """Devuelve una clave aleatoria de 32 caracteres URL-seguros."""
    return secrets.token_urlsafe(24)


class RolNoApto(Exception):
    """El rol pedido para QGIS ya existe con privilegios que un lector no debe tener."""


def rol_qgis_asegurar(*, usuario: str, clave: str | None, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Crea el rol lector o ajusta sus atributos; fija ``clave`` si se da. Devuelve si el rol era nuevo.

    Exige una conexión con CREATEROLE (TERRITORIO_DATABASE_URL_ADMIN). La clave viaja ya cifrada
    (SCRAM-SHA-256, calculada por libpq): no queda en claro en el registro del servidor.
    """
    rol = identificador(usuario)
    conexion = connections[using]
    with transaction.atomic(using=using), conexion.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls "
            "OR rolname IN (current_user, session_user, %s) "
            "OR EXISTS (SELECT 1 FROM pg_class WHERE relowner = r.oid) "
            "OR EXISTS (SELECT 1 FROM pg_database WHERE datdba = r.oid) "
            "FROM pg_roles r WHERE rolname = %s",
            [settings.TERRITORIO_BD_ROL_APP, usuario],
        )
        fila = cursor.fetchone()
        if fila is not None and fila[0]:
            # Convertirlo en lector le quitaría sus atributos (o la escritura) a un rol que ya los usa.
            raise RolNoApto(
                f"El rol «{usuario}» ya existe y no es un lector: tiene atributos de administración, es "
                "dueño de objetos o es el de la aplicación. Elija otro nombre con --usuario."
            )
        nuevo = fila is None
        if nuevo:
            cursor.execute(f"CREATE ROLE {rol}")
        cursor.execute(f"ALTER ROLE {rol} {ATRIBUTOS}")
        if clave:
            cifrada = conexion.connection.pgconn.encrypt_password(
                clave.encode(), usuario.encode(), b"scram-sha-256"
            )
            cursor.execute(f"ALTER ROLE {rol} PASSWORD {literal(cifrada.decode())}")
        for ajuste, valor in AJUSTES.items():
            cursor.execute(f"ALTER ROLE {rol} SET {ajuste} = {valor}")
        cursor.execute("SELECT current_database()")
        base = cursor.fetchone()[0]
        cursor.execute(f"GRANT CONNECT ON DATABASE {citado(base)} TO {rol}")
    return nuevo


def datos_conexion(*, usuario: str, clave: str | None, host: str | None = None, using=DEFAULT_DB_ALIAS):
    """Devuelve los datos de conexión del rol lector a la base de ``using`` (``host`` los reemplaza)."""
    ajustes = connections[using].settings_dict
    return DatosConexion(
        host=host or ajustes.get("HOST") or "localhost",
        puerto=str(ajustes.get("PORT") or 5432),
        base=ajustes["NAME"],
        usuario=usuario,
        clave=clave,
    )
