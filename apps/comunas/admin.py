"""Admin de la base territorial."""

from django.contrib import admin

from apps.comunas.models import Comuna, Localidad
from apps.nucleo.admin import ComunaInicialAdmin, TerritorioAdmin


@admin.register(Comuna)
class ComunaAdmin(TerritorioAdmin):
    """Comunas cargadas (normalmente una: la configurada)."""

    list_display = ("cut", "nombre", "provincia", "region", "srid_metrico", "fuente")
    search_fields = ("cut", "nombre")
    readonly_fields = ("srid_metrico", "fuente")


@admin.register(Localidad)
class LocalidadAdmin(ComunaInicialAdmin):
    """Localidades y sectores de la comuna."""

    list_display = ("nombre", "tipo", "comuna", "es_demo")
    list_filter = ("tipo", "es_demo")
    search_fields = ("nombre",)
