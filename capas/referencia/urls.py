"""Rutas de /capas/referencia/: estilo de una capa importada y lo que dibuja todo mapa chico."""

from django.urls import path

from capas.referencia import views

app_name = "referencia"
urlpatterns = [
    path("mapa-chico.json", views.mapa_chico, name="mapa_chico"),
    path("<slug:nombre>/estilo/", views.estilo, name="estilo"),
]
