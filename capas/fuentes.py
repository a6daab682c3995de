"""Fuente SQL de una capa: de qué tabla, con qué columnas y filtro leen todas las salidas.

GeoJSON, teselas, OGC API y exportaciones leen por aquí, con una sola sentencia SQL que arma
PostGIS: así una capa de un modelo del dominio y una capa importada se sirven igual.
"""

from dataclasses import dataclass

from django.contrib.auth import get_permission_codename
from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import FieldDoesNotExist
from django.db import models

# Tipos lógicos de atributo → tipo SQL (para convertir el JSON de capas importadas) y OGR.
TIPOS = {
    "texto": ("text", "String"),
    "entero": ("bigint", "Integer64"),
    "decimal": ("double precision", "Real"),
    "fecha": ("date", "Date"),
    "fecha_hora": ("timestamptz", "DateTime"),
    "booleano": ("boolean", "Integer"),
}


@dataclass(frozen=True)
class Atributo:
    """Columna de salida: nombre, expresión SQL sobre el alias ``t``, tipo lógico y título."""

    nombre: str
    expresion: str
    tipo: str = "texto"
    titulo: str = ""
    # Lo que lee una persona (popups, tabla de atributos, exportaciones, OGC API en HTML): las
    # etiquetas de las opciones (valor, etiqueta) o una expresión propia (el nombre de una FK).
    opciones: tuple[tuple[str, str], ...] = ()
    expresion_legible: str | None = None

    def __post_init__(self):
        if self.tipo not in TIPOS:
            raise ValueError(f"Tipo de atributo desconocido: {self.tipo}")

    @property
    def legible(self) -> str:
        """Devuelve la expresión SQL del valor como lo lee una persona («Servicio público», no el código)."""
        if self.expresion_legible:
            return self.expresion_legible
        if self.opciones:
            casos = " ".join(f"WHEN {literal_sql(v)} THEN {literal_sql(e)}" for v, e in self.opciones)
            return f"(CASE ({self.expresion})::text {casos} ELSE ({self.expresion})::text END)"
        if self.tipo == "booleano":
            return f"(CASE WHEN ({self.expresion}) THEN 'Sí' WHEN NOT ({self.expresion}) THEN 'No' END)"
        return self.expresion

    @property
    def con_etiqueta(self) -> bool:
        """Indica si una persona lee algo distinto del valor guardado (opciones, FK o sí/no)."""
        return bool(self.expresion_legible or self.opciones or self.tipo == "booleano")

    @property
    def tipo_legible(self) -> str:
        """Devuelve el tipo lógico de ``legible``: texto si hay etiqueta, si no el del atributo."""
        return "texto" if self.con_etiqueta else self.tipo


@dataclass(frozen=True)
class FuenteSQL:
    """Origen de los elementos de una capa en PostGIS (alias ``t`` para la tabla)."""

    tabla: str
    pk: str
    geom: str
    atributos: tuple[Atributo, ...]
    filtro: str = "TRUE"
    parametros: tuple = ()
    multi: bool = False
    # Expresión que ya es el objeto JSON de propiedades (capas importadas: su columna JSONB); evita
    # reconstruirlo atributo por atributo al servir GeoJSON.
    propiedades_json: str | None = None

    @property
    def geom_salida(self) -> str:
        """Devuelve la expresión de la geometría para las salidas (``geom`` es la columna indexada,
        la que deben usar los filtros espaciales para aprovechar el índice GiST)."""
        return f"ST_Multi({self.geom})" if self.multi else self.geom

    def seleccion(
        self, *, columnas: str, donde: str = "TRUE", parametros: tuple = (), parametros_columnas: tuple = ()
    ) -> tuple[str, tuple]:
        """Devuelve ``SELECT columnas FROM tabla t WHERE filtro AND donde`` con sus parámetros, en el
        orden del texto: los de ``columnas``, los del filtro de la fuente y los de ``donde``."""
        sql = f"SELECT {columnas} FROM {self.tabla} t WHERE ({self.filtro}) AND ({donde})"
        return sql, (*parametros_columnas, *self.parametros, *parametros)

    def columnas_atributos(self) -> str:
        """Devuelve la lista SQL de atributos con su nombre de salida."""
        return ", ".join(f"{a.expresion} AS {identificador_sql(a.nombre)}" for a in self.atributos)

    def columnas_legibles(self) -> str:
        """Devuelve la lista SQL de atributos como los lee una persona, con su nombre de salida."""
        return ", ".join(f"{a.legible} AS {identificador_sql(a.nombre)}" for a in self.atributos)


def identificador_sql(nombre: str) -> str:
    """Devuelve ``nombre`` como identificador SQL entre comillas (sirve con parámetros %s de psycopg)."""
    return '"' + nombre.replace('"', '""').replace("%", "%%") + '"'


def literal_sql(texto: str) -> str:
    """Devuelve ``texto`` como literal SQL entre comillas simples (sirve con parámetros %s de psycopg)."""
    return "'" + texto.replace("'", "''").replace("%", "%%") + "'"


def _tipo_de_campo(campo: models.Field) -> str:
    """Devuelve el tipo lógico de un campo de Django."""
    if isinstance(campo, models.BooleanField):
        return "booleano"
    if isinstance(campo, models.DateTimeField):
        return "fecha_hora"
    if isinstance(campo, models.DateField):
        return "fecha"
    if isinstance(campo, models.IntegerField | models.AutoField | models.ForeignKey):
        return "entero"
    if isinstance(campo, models.FloatField | models.DecimalField):
        return "decimal"
    return "texto"


def _nombre_relacionado(campo: models.Field, expresion: str) -> str | None:
    """Devuelve la subconsulta del nombre del registro al que apunta una FK (None si no es FK o el
    modelo apuntado no tiene ``nombre``): así se lee «FNDR», no ``fuente=2``."""
    if not isinstance(campo, models.ForeignKey):
        return None
    destino = campo.related_model._meta
    try:
        nombre = destino.get_field("nombre")
    except FieldDoesNotExist:
        return None
    return (
        f'(SELECT r."{nombre.column}" FROM "{destino.db_table}" r '
        f'WHERE r."{campo.target_field.column}" = {expresion})'
    )


def permiso_de_ver(modelo) -> str:
    """Devuelve el permiso «ver» del modelo (``app.view_modelo``): el de leer su capa."""
    return f"{modelo._meta.app_label}.{get_permission_codename('view', modelo._meta)}"


def atributo_de_campo(modelo, nombre: str) -> Atributo:
    """Devuelve el atributo de un campo del modelo (alias ``t``): tipo, título, opciones y nombre de la FK."""
    campo = modelo._meta.get_field(nombre)
    expresion = f't."{campo.column}"'
    return Atributo(
        nombre,
        expresion,
        _tipo_de_campo(campo),
        str(campo.verbose_name),
        opciones=tuple((str(v), str(e)) for v, e in campo.flatchoices),
        expresion_legible=_nombre_relacionado(campo, expresion),
    )


def fuente_de_modelo(
    modelo,
    *,
    campo_geom: str,
    atributos: tuple[str, ...],
    filtro: str = "TRUE",
    multi: bool = False,
) -> FuenteSQL:
    """Devuelve la fuente de una capa sobre un modelo concreto (``multi`` aplica ST_Multi)."""
    opts = modelo._meta
    geom = opts.get_field(campo_geom)
    if not isinstance(geom, GeometryField):
        raise ValueError(f"{opts.label}.{campo_geom} no es un campo geométrico")
    return FuenteSQL(
        tabla=f'"{opts.db_table}"',
        pk=f't."{opts.pk.column}"',
        geom=f't."{geom.column}"',
        atributos=tuple(atributo_de_campo(modelo, nombre) for nombre in atributos),
        filtro=filtro,
        multi=multi,
    )
