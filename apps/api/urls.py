"""Rutas de la API REST (/api/): recursos, esquema OpenAPI y su documentación navegable."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from apps.api import analisis, vistas

app_name = "api"


class Enrutador(DefaultRouter):
    """Enrutador sin barra opcional ni formato por sufijo: una sola URL por recurso."""

    include_format_suffixes = False


enrutador = Enrutador()
enrutador.register("proyectos", vistas.ProyectoVista, basename="proyecto")
enrutador.register("inmuebles", vistas.BienInmuebleVista, basename="inmueble")
enrutador.register("activos", vistas.ActivoVista, basename="activo")
enrutador.register("concesiones", vistas.ConcesionVista, basename="concesion")
enrutador.register("propuestas", vistas.PropuestaVista, basename="propuesta")

urlpatterns = [
    path("esquema/", login_not_required(SpectacularAPIView.as_view()), name="esquema"),
    path("docs/", login_not_required(SpectacularSwaggerView.as_view(url_name="api:esquema")), name="docs"),
    path("analisis/superposicion/", analisis.SuperposicionVista.as_view(), name="analisis_superposicion"),
    path("propuestas/<int:pk>/informe/", analisis.InformePropuestaVista.as_view(), name="propuesta_informe"),
    path("", include(enrutador.urls)),
]
