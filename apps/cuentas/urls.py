"""Rutas de cuentas y roles (/cuentas/)."""

from django.urls import path

from apps.cuentas import views

app_name = "cuentas"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("nueva/", views.nueva, name="nueva"),
    path("<int:pk>/editar/", views.editar, name="editar"),
    path("<int:pk>/invitar/", views.invitar, name="invitar"),
    path("clave/<uidb64>/<token>/", views.FijarClave.as_view(), name="fijar_clave"),
    path("clave/fijada/", views.ClaveFijada.as_view(), name="clave_fijada"),
]
