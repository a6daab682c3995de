"""Rutas de los proyectos de inversión: lista, ficha y edición."""

from django.urls import path  # noqa: F401

from apps.proyectos import edicion

app_name = "proyectos"
urlpatterns = []

# Crear, editar y eliminar (apps/proyectos/edicion.py).
urlpatterns += edicion.urlpatterns
