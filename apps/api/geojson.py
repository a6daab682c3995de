"""Campo GeoJSON de la API: lee un objeto GeoJSON en EPSG:4326 y lo deja como geometría GEOS."""

import json

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capas.geometria import a_multi

_TIPOS_GEOJSON = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)
_NOMBRES = {
    "Point": "punto",
    "MultiPoint": "multipunto",
    "LineString": "línea",
    "MultiLineString": "multilínea",
    "Polygon": "polígono",
    "MultiPolygon": "multipolígono",
    "GeometryCollection": "colección de geometrías",
}
ESQUEMA_GEOJSON = {
    "type": "object",
    "description": "Geometría GeoJSON (RFC 7946) en EPSG:4326: coordenadas [longitud, latitud].",
    "properties": {
        "type": {"type": "string", "enum": list(_TIPOS_GEOJSON)},
        "coordinates": {"type": "array", "items": {}},
    },
    "required": ["type", "coordinates"],
    "example": {"type": "Point", "coordinates": [-73.1, -38.99]},
}


@extend_schema_field(ESQUEMA_GEOJSON)
class CampoGeoJSON(serializers.Field):
    """Geometría GeoJSON en 4326; ``tipos`` limita los tipos y ``multi`` envuelve los simples en Multi*."""

    default_error_messages = {
        "invalido": "No es una geometría GeoJSON válida: {motivo}.",
        "tipo": "Tipo de geometría no permitido ({tipo}): use {permitidos}.",
    }

    def __init__(self, *, tipos: tuple[str, ...] = _TIPOS_GEOJSON, multi: bool = False, **kwargs):
        self.tipos = tipos
        self.multi = multi
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        """Devuelve la geometría GEOS (SRID 4326) o lanza un error con el motivo en español."""
        if not isinstance(data, dict):
            self.fail("invalido", motivo="se esperaba un objeto con «type» y «coordinates»")
        tipo = data.get("type")
        if tipo not in _TIPOS_GEOJSON:
            self.fail("invalido", motivo=f"«type» debe ser uno de {', '.join(_TIPOS_GEOJSON)}")
        if not isinstance(data.get("coordinates"), list):
            self.fail("invalido", motivo="«coordinates» debe ser una lista")
        try:
            geom = GEOSGeometry(json.dumps(data, allow_nan=False), srid=4326)
        except (GDALException, GEOSException, ValueError, TypeError) as error:
            motivo = "las coordenadas no forman una geometría de ese tipo"
            if "finite" in str(error) or "Out of range" in str(error):
                motivo = "hay coordenadas no numéricas o infinitas"
            raise serializers.ValidationError(
                self.error_messages["invalido"].format(motivo=motivo)
            ) from error
        geom.srid = 4326
        if self.multi:
            geom = a_multi(geom)
        if geom.geom_type not in self.tipos:
            self.fail(
                "tipo",
                tipo=_NOMBRES.get(geom.geom_type, geom.geom_type),
                permitidos=", ".join(_NOMBRES[t] for t in self.tipos),
            )
        return geom

    def to_representation(self, value):
        """Devuelve el GeoJSON de la geometría (las listas no pasan por aquí: las arma PostGIS)."""
        return json.loads(value.geojson) if value is not None else None
