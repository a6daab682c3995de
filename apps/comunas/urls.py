"""Rutas de la base territorial."""

from django.urls import path

from apps.comunas import views

app_name = "comunas"
urlpatterns = [path("limite.geojson", views.limite_geojson, name="limite_geojson")]
