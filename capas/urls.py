"""Rutas de /capas/: importación, trabajos, exportación y GeoJSON por capa."""

from django.urls import include, path

app_name = "capas"
urlpatterns = [
    path("", include("capas.servicio.urls")),
    path("importar/", include("capas.importacion.urls")),
    path("trabajos/", include("capas.trabajos.urls")),
    path("exportar/", include("capas.exportacion.urls")),
    path("referencia/", include("capas.referencia.urls")),
    path("imprimir/", include("capas.mapas.urls")),
]
