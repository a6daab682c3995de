"""Vistas de la base territorial."""

import json

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from apps.comunas.models import Comuna, Localidad
from apps.comunas.selectors import comuna_configurada


@require_GET
def limite_geojson(request):
    """Devuelve el límite de la comuna configurada y sus localidades como GeoJSON (hecho por PostGIS)."""
    comuna = comuna_configurada()
    if comuna is None:
        return JsonResponse({"type": "FeatureCollection", "features": []})
    limite = Comuna.objects.filter(pk=comuna.pk).annotate(gj=AsGeoJSON("limite", precision=6)).get().gj
    rasgos = [_rasgo(limite, {"tipo": "comuna", "nombre": comuna.nombre, "cut": comuna.cut})]
    localidades = Localidad.objects.filter(comuna=comuna).annotate(gj=AsGeoJSON("ubicacion", precision=6))
    rasgos += [_rasgo(loc.gj, {"tipo": "localidad", "nombre": loc.nombre}) for loc in localidades]
    return JsonResponse({"type": "FeatureCollection", "features": rasgos})


def _rasgo(geojson: str, propiedades: dict) -> dict:
    """Devuelve un Feature GeoJSON."""
    return {"type": "Feature", "geometry": json.loads(geojson), "properties": propiedades}
