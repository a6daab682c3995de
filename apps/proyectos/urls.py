"""Rutas de los proyectos de inversión: lista, ficha y edición."""

from django.urls import path  # noqa: F401

app_name = "proyectos"
urlpatterns = []
