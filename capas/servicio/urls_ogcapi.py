"""Rutas de /ogcapi/: OGC API – Features, parte 1 (núcleo, GeoJSON, HTML y OpenAPI 3.0)."""

from django.urls import path

from capas.servicio import ogcapi

app_name = "ogcapi"
urlpatterns = [
    path("", ogcapi.inicio, name="inicio"),
    path("api", ogcapi.api, name="api"),
    path("conformance", ogcapi.conformidad, name="conformidad"),
    path("collections", ogcapi.colecciones, name="colecciones"),
    path("collections/<slug:coleccion>", ogcapi.coleccion, name="coleccion"),
    path("collections/<slug:coleccion>/items", ogcapi.elementos, name="elementos"),
    path("collections/<slug:coleccion>/items/<str:identificador>", ogcapi.elemento, name="elemento"),
]
