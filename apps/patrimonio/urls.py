"""Rutas del patrimonio municipal: bienes inmuebles, activos y concesiones (lista, ficha y edición)."""

from django.urls import path

from apps.patrimonio import edicion, views

app_name = "patrimonio"
urlpatterns = [
    path("inmuebles/", views.inmuebles_lista, name="inmuebles_lista"),
    path("inmuebles/exportar/", views.inmuebles_exportar, name="inmuebles_exportar"),
    path("inmuebles/<int:pk>/", views.inmueble_ficha, name="inmueble_ficha"),
    path("activos/", views.activos_lista, name="activos_lista"),
    path("activos/exportar/", views.activos_exportar, name="activos_exportar"),
    path("activos/<int:pk>/", views.activo_ficha, name="activo_ficha"),
    path("concesiones/", views.concesiones_lista, name="concesiones_lista"),
    path("concesiones/exportar/", views.concesiones_exportar, name="concesiones_exportar"),
    path("concesiones/<int:pk>/", views.concesion_ficha, name="concesion_ficha"),
]

# Crear, editar y eliminar (apps/patrimonio/edicion.py).
urlpatterns += edicion.urlpatterns
