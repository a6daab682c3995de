"""Rutas del servicio en /capas/: lista de capas visibles y GeoJSON de cada una."""

from django.urls import path

from capas.servicio import busqueda, geojson, identificar

urlpatterns = [
    path("", geojson.lista, name="lista"),
    path("buscar/", busqueda.buscar, name="buscar"),
    path("<slug:nombre>.geojson", geojson.capa_geojson, name="geojson"),
    path("identificar/", identificar.identificar, name="identificar"),
    path("tabla/<slug:nombre>/", identificar.tabla, name="tabla"),
]
