"""PROVISIONAL (rama h-flujo): informe de superposición con solo el área, para el flujo de propuestas.

El coordinador escribe el análisis real en main con esta misma firma y forma (contrato de
/work/wt/CONTEXTO.md); al integrar, este módulo se reemplaza entero por el suyo. Aquí solo se mide el
área en el UTM de la comuna (``ST_Area`` en ``srid_metrico``); categorías, zonas, distancias y
localidades van vacías y el veredicto es «sin_norma».
"""

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.utils import timezone

RADIO_M = 5000.0


def _area_m2(geom: GEOSGeometry, srid_metrico: int) -> float:
    """Devuelve el área en m² medida por PostGIS en el SRID métrico dado."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Area(ST_Transform(ST_GeomFromEWKB(%s), %s))", [memoryview(geom.ewkb), srid_metrico]
        )
        return float(cursor.fetchone()[0] or 0.0)


def informe_superposicion(
    geom: GEOSGeometry, *, comuna, uso: str | None = None, radio_m: float | None = None
) -> dict:
    """Devuelve el informe de ``geom`` con la forma del contrato (provisional: solo el área)."""
    area = _area_m2(geom, comuna.srid_metrico)
    return {
        "area_m2": area,
        "area_ha": area / 10000,
        "uso": uso,
        "srid_metrico": comuna.srid_metrico,
        "radio_m": RADIO_M if radio_m is None else radio_m,
        "calculado": timezone.localtime().isoformat(timespec="seconds"),
        "categorias": [],
        "zonas": [],
        "distancias": [],
        "localidades": [],
        "veredicto": "sin_norma",
    }


def informe_de_propuesta(propuesta) -> dict:
    """Devuelve el informe de superposición de la propuesta con su uso propuesto."""
    return informe_superposicion(propuesta.geom, comuna=propuesta.comuna, uso=propuesta.uso_propuesto)
