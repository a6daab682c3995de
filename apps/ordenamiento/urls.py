"""Rutas de las propuestas de uso de suelo y de la zonificación: lista, ficha, edición e importación."""

from django.urls import path

from apps.ordenamiento import edicion, views
from apps.ordenamiento.zonas import edicion as edicion_zonas
from apps.ordenamiento.zonas import views as zonas

app_name = "ordenamiento"
urlpatterns = [
    path("propuestas/", views.propuestas_lista, name="propuestas_lista"),
    path("propuestas/exportar/", views.propuestas_exportar, name="propuestas_exportar"),
    path("propuestas/<int:pk>/", views.propuesta_ficha, name="propuesta_ficha"),
]

# Crear, editar y eliminar (apps/ordenamiento/edicion.py).
urlpatterns += edicion.urlpatterns

# Zonificación (apps/ordenamiento/zonas/).
urlpatterns += [
    path("zonas/", zonas.zonas_lista, name="zonas_lista"),
    path("zonas/exportar/", zonas.zonas_exportar, name="zonas_exportar"),
    path("zonas/importar/", zonas.zonas_importar, name="zonas_importar"),
    path("zonas/importar/<int:pk>/campos/", zonas.zonas_importar_mapeo, name="zonas_importar_mapeo"),
    path("zonas/<int:pk>/", zonas.zona_ficha, name="zona_ficha"),
    path("zonas/<int:pk>/usos/", zonas.zona_usos, name="zona_usos"),
    *edicion_zonas.urlpatterns,
]
