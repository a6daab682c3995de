"""Rutas de los proyectos de inversión: lista, ficha y edición."""

from django.urls import path

from apps.proyectos import edicion, views

app_name = "proyectos"
urlpatterns = [
    path("", views.lista, name="lista"),
    path("exportar/", views.exportar, name="exportar"),
    path("<int:pk>/", views.ficha, name="ficha"),
]

# Crear, editar y eliminar (apps/proyectos/edicion.py).
urlpatterns += edicion.urlpatterns
