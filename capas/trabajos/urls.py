"""Rutas de /capas/trabajos/: página de un trabajo y su estado en JSON."""

from django.urls import path

from capas.trabajos import views

app_name = "trabajos"
urlpatterns = [
    path("<int:pk>/", views.trabajo_detalle, name="detalle"),
    path("<int:pk>/estado/", views.trabajo_estado, name="estado"),
]
