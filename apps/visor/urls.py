"""Rutas del visor."""

from django.urls import path

from apps.visor import views

app_name = "visor"
urlpatterns = [
    path("", views.mapa, name="mapa"),
]
