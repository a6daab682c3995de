"""Rutas de las propuestas de uso de suelo: lista, ficha, edición, pasos del flujo y comparación."""

from django.urls import path

from apps.ordenamiento import edicion, views, vistas_flujo

app_name = "ordenamiento"
urlpatterns = [
    path("propuestas/", views.propuestas_lista, name="propuestas_lista"),
    path("propuestas/exportar/", views.propuestas_exportar, name="propuestas_exportar"),
    path("propuestas/<int:pk>/", views.propuesta_ficha, name="propuesta_ficha"),
    path(
        "propuestas/<int:pk>/flujo/<slug:accion>/",
        vistas_flujo.propuesta_transicion,
        name="propuesta_transicion",
    ),
    path("propuestas/<int:pk>/comparar/", vistas_flujo.propuesta_comparar, name="propuesta_comparar"),
]

# Crear, editar y eliminar (apps/ordenamiento/edicion.py).
urlpatterns += edicion.urlpatterns
