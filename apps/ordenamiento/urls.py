"""Rutas del ordenamiento: propuestas de uso de suelo (lista, ficha y edición) y capas de restricción."""

from django.urls import path

from apps.ordenamiento import cauces_views, edicion, views

app_name = "ordenamiento"
urlpatterns = [
    path("propuestas/", views.propuestas_lista, name="propuestas_lista"),
    path("propuestas/exportar/", views.propuestas_exportar, name="propuestas_exportar"),
    path("propuestas/<int:pk>/", views.propuesta_ficha, name="propuesta_ficha"),
    path("restricciones/franja-cauces/", cauces_views.franja_cauces, name="franja_cauces"),
]

# Crear, editar y eliminar (apps/ordenamiento/edicion.py).
urlpatterns += edicion.urlpatterns
