"""Rutas de las propuestas de uso de suelo: lista, ficha y edición."""

from django.urls import path  # noqa: F401

app_name = "ordenamiento"
urlpatterns = []
