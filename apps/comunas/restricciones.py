"""Reglas espaciales respaldadas por la base de datos (docs/srid.md)."""

import pgtrigger
from django.contrib.gis.db.models import GeometryField
from django.db import models
from django.db.models.lookups import In


class CheckGeometrico(models.CheckConstraint):
    """CHECK espacial que solo aplica la base: en Python valida ``EnComuna.clean()``, con motivo y lugar.

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


def dentro_de_comuna(campo: str) -> pgtrigger.Trigger:
    """Devuelve el trigger que rechaza geometrías fuera del límite admisible de su comuna."""
    return pgtrigger.Trigger(
        name=f"{campo}_en_comuna",
        operation=pgtrigger.Insert | pgtrigger.Update,
        when=pgtrigger.Before,
        func=f"""
            -- Un cambio que no toca la geometría ni la comuna no se vuelve a verificar.
            IF TG_OP = 'UPDATE' AND OLD.{campo} IS NOT DISTINCT FROM NEW.{campo}
               AND OLD.comuna_id IS NOT DISTINCT FROM NEW.comuna_id THEN
                RETURN NEW;
            END IF;
            IF NEW.{campo} IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM comunas_comuna c
                WHERE c.id = NEW.comuna_id AND ST_CoveredBy(NEW.{campo}, c.limite_admisible)
            ) THEN
                RAISE EXCEPTION USING
                    ERRCODE = 'check_violation',
                    MESSAGE = format(
                        'La geometría (%s) de %s queda fuera del límite de su comuna.',
                        '{campo}', TG_TABLE_NAME
                    );
            END IF;
            RETURN NEW;
        """,
    )


def campos_geometricos(modelo) -> list[str]:
    """Devuelve los nombres de los campos geométricos editables del modelo."""
    return [f.name for f in modelo._meta.get_fields() if isinstance(f, GeometryField) and f.editable]
