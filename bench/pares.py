"""Comparaciones del issue de capas: cada una entrega (nuestro, par) como funciones sin argumentos."""

import math
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from capas.models import ElementoReferencia
from capas.registro import registro
from capas.servicio.consultas import extensiones

CAPA = "bench-predios"
# La capa de restricción más grande del nivel (360 elementos en S; antes, una sola de 2.000).
CAPA_MVT = "bench-inundacion-dga"


@dataclass(frozen=True)
class Comparacion:
    """Una comparación: nombre, meta (razón máxima nuestro/par) y cómo preparar ambos lados."""

    nombre: str
    meta: float | None  # None: fila informativa, sin meta del issue
    preparar: object


def _sql_texto(sql, parametros=()):
    """Ejecuta una consulta que devuelve un solo texto/bytes y lo trae completo."""
    with connection.cursor() as cursor:
        cursor.execute(sql, parametros)
        return cursor.fetchone()[0]


def subir_version(capa_id: int) -> None:
    """Sube la versión de la capa importada como lo haría una escritura: sus teselas guardadas quedan
    viejas (caché fría para la repetición siguiente)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT capas_version.subir('capas_elementoreferencia', ARRAY[%s::bigint])", [capa_id])


def _capa_id(nombre: str) -> int:
    """Devuelve la clave de la CapaReferencia del benchmark (el par filtra por ella a mano)."""
    return registro.obtener(nombre, todas=True).fuente.parametros[0]


def _geojson_crudo():
    """Devuelve el GeoJSON de la capa armado por PostGIS con SQL escrito a mano (el par)."""
    capa_id = _capa_id(CAPA)
    return _sql_texto(
        """
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
            json_build_object('type', 'Feature', 'id', e.fid, 'geometry', ST_AsGeoJSON(e.geom)::json,
                              'properties', e.atributos)), '[]'::json))::text
        FROM capas_elementoreferencia e WHERE e.capa_id = %s
        """,
        (capa_id,),
    )


def geojson_vs_sql(cliente, _tmp):
    """GeoJSON del endpoint (petición completa por Django) contra el texto del SQL crudo."""

    def nuestro():
        respuesta = cliente.get(f"/capas/{CAPA}.geojson")
        assert respuesta.status_code == 200, respuesta.status_code

    return nuestro, _geojson_crudo


def geojson_vs_drf_gis(cliente, _tmp):
    """GeoJSON del endpoint contra el serializador GeoFeatureModelSerializer de djangorestframework-gis."""
    from rest_framework.renderers import JSONRenderer
    from rest_framework_gis.serializers import GeoFeatureModelSerializer

    class Serializador(GeoFeatureModelSerializer):
        class Meta:
            model = ElementoReferencia
            geo_field = "geom"
            fields = ("fid", "atributos")

    capa_id = _capa_id(CAPA)

    def par():
        consulta = ElementoReferencia.objects.filter(capa_id=capa_id)
        JSONRenderer().render(Serializador(consulta, many=True).data)

    nuestro, _ = geojson_vs_sql(cliente, _tmp)
    return nuestro, par


def _teselas():
    """Devuelve las teselas z12–z13 que cubren la extensión de la capa del benchmark."""
    xmin, ymin, xmax, ymax = extensiones([registro.obtener(CAPA_MVT, todas=True)])[CAPA_MVT]
    teselas = []
    for z in (12, 13):
        x0, y0 = _tesela(xmin, ymax, z)
        x1, y1 = _tesela(xmax, ymin, z)
        teselas += [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    return teselas


def _tesela(lon, lat, z):
    """Devuelve (x, y) de la tesela XYZ que contiene (lon, lat) en el zoom z."""
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def mvt_vs_sql(cliente, _tmp, teselas=None):
    """Teselas del endpoint (caché fría: antes se sube la versión de la capa) contra ST_AsMVT crudo."""
    teselas = teselas or _teselas()
    capa_id = _capa_id(CAPA_MVT)

    def nuestro():
        subir_version(capa_id)
        for z, x, y in teselas:
            respuesta = cliente.get(f"/tiles/{CAPA_MVT}/{z}/{x}/{y}.pbf")
            assert respuesta.status_code in (200, 204), respuesta.status_code

    def par():
        for z, x, y in teselas:
            _sql_texto(
                """
                SELECT ST_AsMVT(m, %s, 4096, 'geom') FROM (
                    SELECT e.fid, e.atributos->>'categoria' AS categoria, e.atributos->>'nombre' AS nombre,
                           ST_AsMVTGeom(ST_Transform(e.geom, 3857), ST_TileEnvelope(%s, %s, %s), 4096, 64)
                           AS geom
                    FROM capas_elementoreferencia e
                    WHERE e.capa_id = %s AND e.geom && ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326)
                ) m
                """,
                (CAPA_MVT, z, x, y, capa_id, z, x, y),
            )

    return nuestro, par


def mvt_solo_sql_vs_sql(cliente, _tmp):
    """Solo la SQL de nuestras teselas (preparada en la conexión) contra la cruda, sin HTTP ni Django:
    separa lo que gana la sentencia de lo que cuesta la petición en la fila del endpoint."""
    from capas.servicio.teselas import contenido_tesela

    capa = registro.obtener(CAPA_MVT, todas=True)
    teselas = _teselas()

    def nuestro():
        for z, x, y in teselas:
            contenido_tesela(capa, z, x, y)

    _, par = mvt_vs_sql(cliente, _tmp, teselas)
    return nuestro, par


def gpkg_vs_ogr2ogr(_cliente, tmp: Path):
    """Exportación a GeoPackage de la capa contra ogr2ogr leyendo la misma base."""
    from capas.exportacion.servicios import exportar

    capa = registro.obtener(CAPA, todas=True)
    d = connection.settings_dict
    # La conexión va por variables de libpq: sin comillas ni campos vacíos en la cadena PG:.
    entorno = {
        **os.environ,
        "PGDATABASE": d["NAME"],
        "PGHOST": d["HOST"] or "",
        "PGPORT": str(d["PORT"] or ""),
        "PGUSER": d["USER"] or "",
        "PGPASSWORD": d["PASSWORD"] or "",
    }
    origen = "PG:"
    f = capa.fuente
    # La misma consulta de la fuente, con sus parámetros ya escritos (ogr2ogr recibe solo texto).
    sql = connection.ops.compose_sql(
        *f.seleccion(columnas=f"{f.pk} AS fid, {f.geom_salida} AS geom, {f.columnas_atributos()}")
    )

    def nuestro():
        destino = tmp / "nuestro.gpkg"
        destino.unlink(missing_ok=True)
        exportar(capas=[CAPA], formato="gpkg", salida=destino, todas=True)

    def par():
        destino = tmp / "ogr2ogr.gpkg"
        destino.unlink(missing_ok=True)
        subprocess.run(
            ["ogr2ogr", "-f", "GPKG", str(destino), origen, "-sql", sql, "-nln", CAPA],
            check=True,
            env=entorno,
        )

    return nuestro, par


COMPARACIONES = [
    Comparacion("GeoJSON endpoint vs SQL crudo", 1.2, geojson_vs_sql),
    Comparacion("GeoJSON endpoint vs djangorestframework-gis", 0.1, geojson_vs_drf_gis),
    Comparacion("MVT endpoint (caché fría) vs ST_AsMVT crudo", 1.25, mvt_vs_sql),
    Comparacion("  (solo la SQL de las teselas vs la cruda)", None, mvt_solo_sql_vs_sql),
    Comparacion("Exportación GPKG vs ogr2ogr", 1.1, gpkg_vs_ogr2ogr),
]
