"""Rutas del servicio en /capas/: lista de capas visibles y GeoJSON de cada una."""

from django.urls import path

from capas.servicio import busqueda, geojson

urlpatterns = [
    path("", geojson.lista, name="lista"),
    path("buscar/", busqueda.buscar, name="buscar"),
    path("<slug:nombre>.geojson", geojson.capa_geojson, name="geojson"),
]
