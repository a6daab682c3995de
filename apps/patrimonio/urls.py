"""Rutas del patrimonio municipal: bienes inmuebles, activos y concesiones (lista, ficha y edición)."""

from django.urls import path  # noqa: F401

from apps.patrimonio import edicion

app_name = "patrimonio"
urlpatterns = []

# Crear, editar y eliminar (apps/patrimonio/edicion.py).
urlpatterns += edicion.urlpatterns
