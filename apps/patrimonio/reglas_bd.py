"""Respaldo en la base de las reglas de concesiones (la validación con mensaje está en el modelo)."""

import pgtrigger


def concesiones_sin_superposicion() -> pgtrigger.Trigger:
    """Devuelve el trigger que impide dos concesiones vigentes superpuestas en activo, período y área.

    Un candado por activo (pg_advisory_xact_lock) serializa las altas concurrentes sobre el mismo
    activo, así dos transacciones simultáneas no pueden pasar la verificación a la vez.
    """
    return pgtrigger.Trigger(
        name="concesion_sin_superposicion",
        operation=pgtrigger.Insert | pgtrigger.Update,
        when=pgtrigger.Before,
        condition=pgtrigger.Q(new__estado="vigente"),
        func="""
            PERFORM pg_advisory_xact_lock(hashtextextended('patrimonio_concesion:' || NEW.activo_id, 0));
            IF EXISTS (
                SELECT 1 FROM patrimonio_concesion o
                WHERE o.activo_id = NEW.activo_id
                  AND o.id IS DISTINCT FROM NEW.id
                  AND o.estado = 'vigente'
                  AND daterange(o.fecha_inicio, o.fecha_termino, '[]')
                      && daterange(NEW.fecha_inicio, NEW.fecha_termino, '[]')
                  AND (o.geom IS NULL OR NEW.geom IS NULL OR ST_Relate(o.geom, NEW.geom, '2********'))
            ) THEN
                RAISE EXCEPTION USING
                    ERRCODE = 'exclusion_violation',
                    MESSAGE = 'La concesión se superpone con otra vigente del mismo activo, período y área.';
            END IF;
            RETURN NEW;
        """,
    )
