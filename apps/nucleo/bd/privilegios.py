"""Privilegios del rol de la aplicación: usar el esquema y leer y escribir filas, nada más."""

import pghistory.models
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from apps.nucleo.bd.conexiones import citado, identificador

# Sin TRUNCATE, REFERENCES ni TRIGGER: la aplicación no vacía tablas ni toca su definición.
DML = "SELECT, INSERT, UPDATE, DELETE"
# Sin UPDATE: nextval basta con USAGE, y setval sobre una secuencia de eventos haría fallar toda
# escritura auditada.
SECUENCIAS = "USAGE, SELECT"
# pgtrigger deja saltar cualquier trigger a quien fije `SET pgtrigger.ignore = '{nombre}'`, y ningún
# rol puede impedir que otro fije una variable propia: la función que la consulta responde siempre
# «no». Territorio no usa pgtrigger.ignore; las migraciones de pgtrigger la reponen y migrate la
# vuelve a reemplazar al terminar.
SIN_SALTOS_DE_TRIGGERS = """
CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME)
RETURNS BOOLEAN LANGUAGE sql IMMUTABLE AS $$ SELECT false $$
"""


def rol_existe(rol: str, *, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Indica si el rol ``rol`` existe en el clúster."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [rol])
        return cursor.fetchone() is not None


def privilegios_app_otorgar(*, rol: str, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Otorga a ``rol`` DML en las tablas y secuencias de public, actuales y futuras; False si no existe.

    Idempotente. Lo corre migrate como el dueño: los privilegios por defecto valen para las tablas
    que ese mismo rol cree después (ALTER DEFAULT PRIVILEGES sin FOR ROLE es del rol actual).
    """
    if not rol_existe(rol, using=using):
        return False
    destino = identificador(rol)
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            # En tablas de otros dueños (spatial_ref_sys, del superusuario) GRANT solo avisa.
            f"GRANT USAGE ON SCHEMA public TO {destino};"
            f"GRANT {DML} ON ALL TABLES IN SCHEMA public TO {destino};"
            f"REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA public FROM {destino};"
            f"GRANT {SECUENCIAS} ON ALL SEQUENCES IN SCHEMA public TO {destino};"
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {DML} ON TABLES TO {destino};"
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE UPDATE ON SEQUENCES FROM {destino};"
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {SECUENCIAS} ON SEQUENCES TO {destino};"
            # En bases anteriores a PostgreSQL 15 (o migradas desde ellas) cualquiera crea en public.
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
        )
        cursor.execute(SIN_SALTOS_DE_TRIGGERS)
        # La auditoría solo crece: la aplicación agrega eventos y los lee, nunca los cambia ni borra.
        for tabla in tablas_de_auditoria():
            cursor.execute(f"REVOKE UPDATE, DELETE ON {citado(tabla)} FROM {destino}")
        # El contexto (quién, desde qué URL) se completa con un upsert: se agrega y actualiza, no se borra.
        cursor.execute(f"REVOKE DELETE ON pghistory_context FROM {destino}")
    return True


def tablas_de_auditoria() -> list[str]:
    """Devuelve las tablas de eventos de django-pghistory (una por modelo auditado)."""
    return sorted(
        modelo._meta.db_table
        for modelo in apps.get_models()
        if issubclass(modelo, pghistory.models.Event) and not modelo._meta.proxy
    )
