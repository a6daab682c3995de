"""Rutas del servicio en /capas/: lista de capas visibles y GeoJSON de cada una."""

from django.urls import path

from capas.servicio import geojson

urlpatterns = [
    path("", geojson.lista, name="lista"),
    path("<slug:nombre>.geojson", geojson.capa_geojson, name="geojson"),
]
