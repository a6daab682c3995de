"""Vistas de la base territorial."""

import json

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from apps.comunas.models import Localidad
from apps.comunas.selectors import comunas_configuradas


@require_GET
def limite_geojson(request):
    """Devuelve el límite de la comuna configurada y sus localidades como GeoJSON (hecho por PostGIS)."""
    comuna = (
        comunas_configuradas()
        .annotate(gj=AsGeoJSON("limite", precision=6))
        .values("pk", "cut", "nombre", "gj")
        .first()
    )
    if comuna is None:
        return JsonResponse({"type": "FeatureCollection", "features": []})
    rasgos = [_rasgo(comuna["gj"], {"tipo": "comuna", "nombre": comuna["nombre"], "cut": comuna["cut"]})]
    localidades = (
        Localidad.objects.filter(comuna_id=comuna["pk"])
        .order_by("nombre")
        .annotate(gj=AsGeoJSON("ubicacion", precision=6))
        .values_list("nombre", "gj")
    )
    rasgos += [_rasgo(gj, {"tipo": "localidad", "nombre": nombre}) for nombre, gj in localidades]
    return JsonResponse({"type": "FeatureCollection", "features": rasgos})


def _rasgo(geojson: str, propiedades: dict) -> dict:
    """Devuelve un Feature GeoJSON."""
    return {"type": "Feature", "geometry": json.loads(geojson), "properties": propiedades}
