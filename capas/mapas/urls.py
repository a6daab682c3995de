"""Rutas de /capas/imprimir/: pedir la impresión de una vista y descargar su PDF o PNG."""

from django.urls import path

from capas.mapas import views

app_name = "impresion"
urlpatterns = [
    path("", views.imprimir, name="imprimir"),
    path("<int:pk>/<str:formato>/", views.descargar, name="descargar"),
]
