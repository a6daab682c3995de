"""Lecturas de la API armadas por PostGIS: cada registro sale como texto JSON hecho en la base.

Como la capa de servicio de capas (``capas/servicio/consultas.py``), la base arma el objeto entero
(``json_build_object`` con ``ST_AsGeoJSON`` en EPSG:4326) y Python solo concatena los textos: una
lista de N registros es una consulta, sin serializar elemento por elemento.
"""

import json
import re

from django.db.models import F, Func, TextField

# Decimales de grado en las coordenadas: 7 ≈ 1 cm (los mismos de la OGC API).
PRECISION = 7
_RE_CLAVE = re.compile(r"^[a-z_][a-z0-9_]*$")


class GeoJSON(Func):
    """Geometría como objeto GeoJSON (json) en el SRID de almacenamiento (4326); null si no hay."""

    output_field = TextField()

    def __init__(self, campo: str):
        super().__init__(F(campo))

    def as_sql(self, compiler, connection, **extra):
        """Devuelve ``ST_AsGeoJSON(geom, 7)::json``."""
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"ST_AsGeoJSON({sql}, {PRECISION})::json", params


class ObjetoJSON(Func):
    """Objeto JSON de claves fijas (``json_build_object``) como texto, listo para entregar."""

    output_field = TextField()

    def __init__(self, campos: dict):
        claves = list(campos)
        if not all(_RE_CLAVE.match(c) for c in claves):
            raise ValueError(f"Claves JSON no válidas: {claves}")
        self.claves = claves
        super().__init__(*(F(v) if isinstance(v, str) else v for v in campos.values()))

    def as_sql(self, compiler, connection, **extra):
        """Devuelve ``json_build_object('clave', expr, …)::text``."""
        partes, params = [], []
        for clave, expresion in zip(self.claves, self.get_source_expressions(), strict=True):
            sql, p = compiler.compile(expresion)
            partes.append(f"'{clave}', {sql}")
            params.extend(p)
        return f"json_build_object({', '.join(partes)})::text", params


def textos(queryset, campos: dict) -> list[str]:
    """Devuelve el texto JSON de cada registro del queryset (en su orden), hecho en una consulta."""
    return list(queryset.annotate(_json_api=ObjetoJSON(campos)).values_list("_json_api", flat=True))


def registro(queryset, campos: dict, pk) -> dict | None:
    """Devuelve el registro ``pk`` como dict (armado por la base), o None si no está en el queryset."""
    encontrados = textos(queryset.filter(pk=pk), campos)
    return json.loads(encontrados[0]) if encontrados else None
