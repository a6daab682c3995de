"""Rutas de Territorio."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from apps.cuentas.ingreso import Ingreso, ingreso_admin
from apps.nucleo import views
from capas.servicio import ogcapi

admin.site.site_header = "Territorio — administración"
admin.site.site_title = "Territorio"
admin.site.index_title = "Registros de la SECPLAC"
# Error no previsto: página 500 en español, o 503 si la causa fue la base de datos (apps/nucleo/errores.py).
handler500 = "apps.nucleo.errores.error_500"
# 400, 403 y 404: los de Django, con las plantillas del sitio (templates/400.html, 403.html, 404.html).

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("salud/", views.salud, name="salud"),
    path("ingresar/", Ingreso.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("comunas/", include("apps.comunas.urls")),
    path("capas/", include("capas.urls")),
    path("mapa/", include("apps.visor.urls")),
    path("proyectos/", include("apps.proyectos.urls")),
    path("patrimonio/", include("apps.patrimonio.urls")),
    path("ordenamiento/", include("apps.ordenamiento.urls")),
    path("api/", include("apps.api.urls")),
    # QGIS 3.22 no sigue la redirección relativa de /ogcapi a /ogcapi/: se atienden ambas.
    path("ogcapi", ogcapi.inicio),
    path("ogcapi/", include("capas.servicio.urls_ogcapi")),
    path("tiles/", include("capas.servicio.urls_teselas")),
    path("cuentas/", include("apps.cuentas.urls")),
    # Un solo ingreso: el del admin lleva a /ingresar/ (antes de admin.site.urls, que trae el suyo).
    path("admin/login/", ingreso_admin),
    path("admin/", admin.site.urls),
]
