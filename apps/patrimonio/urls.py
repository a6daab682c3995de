"""Rutas del patrimonio municipal: bienes inmuebles, activos y concesiones (lista, ficha y edición)."""

from django.urls import path  # noqa: F401

app_name = "patrimonio"
urlpatterns = []
