"""Rutas de /tiles/: teselas vectoriales (MVT) y su TileJSON."""

from django.urls import path

from capas.servicio import teselas

app_name = "teselas"
urlpatterns = [
    path("<slug:nombre>.json", teselas.tilejson, name="tilejson"),
    path("<slug:nombre>/<int:z>/<int:x>/<int:y>.pbf", teselas.tesela, name="tesela"),
]
