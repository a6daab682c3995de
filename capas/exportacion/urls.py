"""Rutas de /capas/exportar/: página de descargas y archivo por formato."""

from django.urls import path

from capas.exportacion import views

urlpatterns = [
    path("", views.exportar_pagina, name="exportar"),
    path("seleccion/", views.exportar_seleccion, name="exportar_seleccion"),
    path("<slug:formato>/", views.exportar_archivo, name="exportar_archivo"),
]
