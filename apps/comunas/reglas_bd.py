"""Reglas espaciales del dominio respaldadas por la base de datos (docs/srid.md)."""

import pgtrigger


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
