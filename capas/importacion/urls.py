"""Rutas de /capas/importar/: formulario de carga con barra de progreso."""

from django.urls import path

from capas.importacion import views

app_name = "importacion"
urlpatterns = [path("", views.importar, name="importar")]
