"""Rutas de las propuestas de uso de suelo: lista, ficha y edición."""

from django.urls import path  # noqa: F401

from apps.ordenamiento import edicion

app_name = "ordenamiento"
urlpatterns = []

# Crear, editar y eliminar (apps/ordenamiento/edicion.py).
urlpatterns += edicion.urlpatterns
