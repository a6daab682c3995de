"""Vistas de solo lectura para QGIS: una por capa del dominio, con etiquetas en vez de códigos.

Salen del mismo registro de capas que alimenta GeoJSON, OGC API y el GeoPackage, con la misma
expresión legible que usan las exportaciones y las páginas HTML (``Atributo.legible``): cada
atributo con opciones se traduce a su etiqueta, cada llave foránea al nombre del registro al que
apunta. Los sí/no quedan booleanos: QGIS los muestra como casilla y los filtra como tales. La
geometría se declara con tipo y SRID para que PostGIS la liste en ``geometry_columns`` (QGIS la
encuentra sin configurar nada).
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import translation

from apps.nucleo.bd.conexiones import identificador, literal
from capas.fuentes import Atributo, atributo_de_campo
from capas.registro import registro

ESQUEMA = "qgis"


@dataclass(frozen=True)
class VistaQgis:
    """Vista de una capa: nombre, título y su SELECT."""

    nombre: str
    titulo: str
    consulta: str
    columnas: tuple[tuple[str, str], ...]  # (nombre, título) para los comentarios de columna


def _modelo_de_tabla(tabla: str):
    """Devuelve el modelo de Django cuya tabla es ``tabla`` (con o sin comillas), o None."""
    nombre = tabla.strip('"')
    return next((m for m in apps.get_models() if m._meta.db_table == nombre), None)


def _expresion(atributo: Atributo) -> str:
    """Devuelve la expresión SQL de la columna: la legible del atributo, salvo los booleanos."""
    return atributo.expresion if atributo.tipo == "booleano" else atributo.legible


def vistas_qgis(*, con_demo: bool = False) -> list[VistaQgis]:
    """Devuelve las vistas de las capas del dominio (sin filas de demostración salvo ``con_demo``)."""
    vistas = []
    with translation.override(settings.LANGUAGE_CODE):
        for capa in registro.todas(todas=True):
            fuente = capa.fuente
            modelo = _modelo_de_tabla(fuente.tabla)
            if not registro.es_estatica(capa.nombre) or modelo is None or fuente.parametros:
                continue
            tiene_demo = any(f.name == "es_demo" for f in modelo._meta.fields)
            atributos = list(fuente.atributos)
            if any(f.name == "comuna" for f in modelo._meta.fields):
                atributos.insert(0, atributo_de_campo(modelo, "comuna"))
            columnas = [(a.nombre, _expresion(a), a.titulo) for a in atributos]
            if not con_demo:
                columnas = [c for c in columnas if c[0] != "es_demo"]
            geom = f"{fuente.geom_salida}::geometry({capa.tipo_geometria}, {settings.TERRITORIO_SRID})"
            seleccion = ", ".join(
                [
                    f"{fuente.pk} AS id",
                    *(f"{e} AS {identificador(n)}" for n, e, _ in columnas),
                    f"{geom} AS geom",
                ]
            )
            filtro = fuente.filtro if con_demo or not tiene_demo else f"({fuente.filtro}) AND NOT t.es_demo"
            vistas.append(
                VistaQgis(
                    nombre=capa.nombre.replace("-", "_"),
                    titulo=str(capa.titulo),
                    consulta=f"SELECT {seleccion} FROM {fuente.tabla} t WHERE {filtro}",
                    columnas=tuple((n, str(titulo)) for n, _, titulo in columnas),
                )
            )
    return vistas


def configuracion_qgis(*, using: str = DEFAULT_DB_ALIAS) -> dict | None:
    """Devuelve la configuración guardada en el comentario del esquema de QGIS, o None si no existe."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s", [ESQUEMA]
        )
        fila = cursor.fetchone()
    if fila is None:
        return None
    try:
        return json.loads(fila[0] or "{}")
    except json.JSONDecodeError:
        return {}


def vistas_qgis_quitar(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Borra las vistas del esquema de QGIS (el esquema y su configuración quedan)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT viewname FROM pg_views WHERE schemaname = %s", [ESQUEMA])
        for (nombre,) in cursor.fetchall():
            cursor.execute(f"DROP VIEW IF EXISTS {identificador(ESQUEMA)}.{identificador(nombre)}")


def vistas_qgis_crear(
    *, con_demo: bool, lectores: tuple[str, ...] = (), using: str = DEFAULT_DB_ALIAS
) -> list:
    """Crea (o rehace) el esquema de QGIS con sus vistas y da SELECT a ``lectores``; devuelve las vistas.

    Corre como el dueño de las tablas: la vista lee con los permisos de su dueño, así el rol lector
    no necesita ningún permiso sobre las tablas de la aplicación.
    """
    esquema = identificador(ESQUEMA)
    vistas = vistas_qgis(con_demo=con_demo)
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {esquema}")
        configuracion = json.dumps({"con_demo": con_demo})
        cursor.execute(f"COMMENT ON SCHEMA {esquema} IS {literal(configuracion)}")
        # Nadie más que los lectores: sin PUBLIC en el esquema.
        cursor.execute(f"REVOKE ALL ON SCHEMA {esquema} FROM PUBLIC")
        vistas_qgis_quitar(using=using)
        for vista in vistas:
            nombre = f"{esquema}.{identificador(vista.nombre)}"
            # Con parámetros (vacíos), psycopg deja en «%» el «%%» de los literales de las etiquetas.
            cursor.execute(f"CREATE VIEW {nombre} AS {vista.consulta}", [])
            cursor.execute(f"COMMENT ON VIEW {nombre} IS {literal(vista.titulo)}")
            for columna, titulo in vista.columnas:
                cursor.execute(f"COMMENT ON COLUMN {nombre}.{identificador(columna)} IS {literal(titulo)}")
        for lector in lectores:
            rol = identificador(lector)
            cursor.execute(f"GRANT USAGE ON SCHEMA {esquema} TO {rol}")
            cursor.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {esquema} TO {rol}")
            # Las vistas que rehaga migrate (como este mismo dueño) quedan legibles sin volver a otorgar.
            cursor.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {esquema} GRANT SELECT ON TABLES TO {rol}")
    return vistas


@contextmanager
def vistas_qgis_suspendidas(*, using: str = DEFAULT_DB_ALIAS):
    """Quita las vistas de QGIS mientras dure (una migración puede cambiar sus columnas) y las rehace."""
    configuracion = configuracion_qgis(using=using)
    if configuracion is None:
        yield
        return
    vistas_qgis_quitar(using=using)
    try:
        yield
    finally:
        # También si la migración falla o sale con sys.exit (migrate --check): QGIS no queda sin vistas.
        vistas_qgis_crear(con_demo=bool(configuracion.get("con_demo")), using=using)
