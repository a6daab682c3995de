"""Reglas espaciales de la base de datos (CHECK y triggers), comunes a cualquier tabla con geometría."""

import pgtrigger
from django.contrib.gis.db.models import GeometryField
from django.db import models
from django.db.models.lookups import In


class CheckGeometrico(models.CheckConstraint):
    """CHECK espacial que solo aplica la base; en Python validan los modelos, con motivo y lugar.

    Django no sabe evaluar funciones PostGIS sobre valores en memoria (validate_constraints).
    """

    def validate(self, model, instance, exclude=None, using=None):
        """No valida en Python (ver docstring de la clase)."""


def geometria_valida(campo: str, tabla: str) -> models.CheckConstraint:
    """Devuelve la restricción CHECK que exige ST_IsValid sobre ``campo``."""
    return CheckGeometrico(condition=models.Q(**{f"{campo}__isvalid": True}), name=f"{tabla}_{campo}_valida")


class TipoGeometria(models.Func):
    """Expresión ``GeometryType(geom)`` de PostGIS."""

    function = "GeometryType"
    output_field = models.CharField()


def geometria_de_tipo(campo: str, tabla: str, tipos: list[str]) -> models.CheckConstraint:
    """Devuelve la restricción CHECK que limita ``campo`` a los tipos de geometría dados."""
    return CheckGeometrico(
        condition=In(TipoGeometria(models.F(campo), output_field=models.CharField()), tipos)
        | models.Q(**{f"{campo}__isnull": True}),
        name=f"{tabla}_{campo}_tipo",
    )


def campos_geometricos(modelo) -> list[str]:
    """Devuelve los nombres de los campos geométricos editables del modelo."""
    return [f.name for f in modelo._meta.get_fields() if isinstance(f, GeometryField) and f.editable]


def nombre_reservado() -> pgtrigger.Trigger:
    """Devuelve el trigger que reserva el identificador de una capa importada en ``capas_nombrecapa``.

    Vectoriales y ráster comparten esa tabla: su clave primaria hace único el identificador entre ambas
    clases aun con importaciones simultáneas (la segunda espera a la primera y falla con 23505).
    """
    return pgtrigger.Trigger(
        name="nombre_reservado",
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        when=pgtrigger.After,
        func="""
            IF TG_OP = 'UPDATE' THEN
                IF NEW.nombre = OLD.nombre THEN
                    RETURN NULL;
                END IF;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                DELETE FROM capas_nombrecapa WHERE nombre = OLD.nombre;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO capas_nombrecapa (nombre) VALUES (NEW.nombre);
            END IF;
            RETURN NULL;
        """,
    )
