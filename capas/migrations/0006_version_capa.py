"""Versión de capa: un contador por tabla fuente (y por capa_id en las importadas) que sube con toda
escritura, para la caché de teselas (capas/servicio/versiones.py).

Vive en el esquema ``capas_version``, fuera de ``public``: el rol de la aplicación no recibe DML
sobre él (migrate otorga DML solo en ``public``), así que no puede bajar ni fijar una versión; la
sube únicamente el trigger (SECURITY DEFINER, del dueño) y la lee ``public.capas_version_de()``. Los
triggers son de sentencia: uno por escritura, no por fila. Deshabilitarlos exige ser dueño de la
tabla (ALTER TABLE) o superusuario (session_replication_role); el rol de la aplicación no es ninguno.
"""

from django.db import migrations

SQL = r"""
CREATE SCHEMA capas_version;
REVOKE ALL ON SCHEMA capas_version FROM PUBLIC;

CREATE TABLE capas_version.version (
    tabla text NOT NULL,
    capa_id bigint NOT NULL DEFAULT 0,
    version bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tabla, capa_id)
);

-- Sube las versiones de las capas dadas de la tabla (0: toda la tabla). En orden, para que dos
-- escrituras concurrentes tomen las filas en el mismo orden (sin interbloqueos).
CREATE FUNCTION capas_version.subir(p_tabla text, p_capas bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO capas_version.version AS v (tabla, capa_id, version)
    SELECT p_tabla, c, 1 FROM (SELECT DISTINCT unnest(p_capas) AS c) u ORDER BY c
    ON CONFLICT (tabla, capa_id) DO UPDATE SET version = v.version + 1
$$;

-- Versión de una capa: la de su tabla (fila 0) más la de su capa_id. NULL si la tabla no tiene
-- los triggers instalados (sin fila 0): entonces no se guarda en caché. En public: el rol de la
-- aplicación no tiene USAGE en el esquema capas_version; la lee solo por aquí.
CREATE FUNCTION public.capas_version_de(p_tabla text, p_capa bigint) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT sum(version)::bigint FROM capas_version.version
    WHERE tabla = p_tabla AND capa_id IN (0, p_capa)
    HAVING bool_or(capa_id = 0)
$$;

-- Tablas de dominio: toda sentencia de escritura (también TRUNCATE) sube la versión de la tabla.
CREATE FUNCTION capas_version.trigger_tabla() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM capas_version.subir(TG_TABLE_NAME::text, ARRAY[0::bigint]);
    RETURN NULL;
END $$;

-- Tablas compartidas por capas (capas_elementoreferencia): sube solo las capa_id tocadas, leídas
-- de las tablas de transición (filas nuevas y viejas: un UPDATE que cambia capa_id toca ambas).
CREATE FUNCTION capas_version.trigger_capas() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    capas bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT capa_id) INTO capas FROM nuevas;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT capa_id) INTO capas FROM viejas;
    ELSE
        SELECT array_agg(DISTINCT c) INTO capas
        FROM (SELECT capa_id AS c FROM nuevas UNION SELECT capa_id FROM viejas) u;
    END IF;
    IF capas IS NOT NULL THEN
        PERFORM capas_version.subir(TG_TABLE_NAME::text, capas);
    END IF;
    RETURN NULL;
END $$;

-- Instala los triggers en una tabla (idempotente). Con columna capa_id: por capa; si no, por tabla.
CREATE FUNCTION capas_version.instalar(p_tabla regclass, p_por_capa boolean) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    nombre text := (SELECT relname FROM pg_class WHERE oid = p_tabla);
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS capas_version_i ON %s', p_tabla);
    EXECUTE format('DROP TRIGGER IF EXISTS capas_version_u ON %s', p_tabla);
    EXECUTE format('DROP TRIGGER IF EXISTS capas_version_d ON %s', p_tabla);
    EXECUTE format('DROP TRIGGER IF EXISTS capas_version_iud ON %s', p_tabla);
    EXECUTE format('DROP TRIGGER IF EXISTS capas_version_t ON %s', p_tabla);
    IF p_por_capa THEN
        EXECUTE format('CREATE TRIGGER capas_version_i AFTER INSERT ON %s REFERENCING NEW TABLE AS nuevas '
                       'FOR EACH STATEMENT EXECUTE FUNCTION capas_version.trigger_capas()', p_tabla);
        EXECUTE format('CREATE TRIGGER capas_version_u AFTER UPDATE ON %s REFERENCING OLD TABLE AS viejas '
                       'NEW TABLE AS nuevas FOR EACH STATEMENT EXECUTE FUNCTION capas_version.trigger_capas()',
                       p_tabla);
        EXECUTE format('CREATE TRIGGER capas_version_d AFTER DELETE ON %s REFERENCING OLD TABLE AS viejas '
                       'FOR EACH STATEMENT EXECUTE FUNCTION capas_version.trigger_capas()', p_tabla);
    ELSE
        EXECUTE format('CREATE TRIGGER capas_version_iud AFTER INSERT OR UPDATE OR DELETE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION capas_version.trigger_tabla()', p_tabla);
    END IF;
    EXECUTE format('CREATE TRIGGER capas_version_t AFTER TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION capas_version.trigger_tabla()', p_tabla);
    -- La fila 0 marca la tabla como vigilada (capas_version.de deja de dar NULL).
    INSERT INTO capas_version.version (tabla, capa_id) VALUES (nombre, 0) ON CONFLICT DO NOTHING;
END $$;
REVOKE ALL ON FUNCTION capas_version.instalar(regclass, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION capas_version.subir(text, bigint[]) FROM PUBLIC;

SELECT capas_version.instalar('capas_elementoreferencia', true);
"""

DESHACER = """
DROP FUNCTION public.capas_version_de(text, bigint);
DROP SCHEMA capas_version CASCADE;  -- con sus funciones y los triggers que las usan
"""


class Migration(migrations.Migration):
    dependencies = [("capas", "0005_trabajo")]

    operations = [migrations.RunSQL(SQL, DESHACER)]
