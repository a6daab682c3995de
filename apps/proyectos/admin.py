"""Admin de proyectos de inversión."""

from django.contrib import admin

from apps.nucleo.admin import ComunaInicialAdmin, TerritorioAdmin
from apps.proyectos.models import FuenteFinanciamiento, Proyecto


@admin.register(FuenteFinanciamiento)
class FuenteFinanciamientoAdmin(TerritorioAdmin):
    """Catálogo de fuentes de financiamiento."""

    list_display = ("codigo", "nombre", "tipo", "organismo", "activa")
    list_filter = ("tipo", "activa")
    search_fields = ("codigo", "nombre")


@admin.register(Proyecto)
class ProyectoAdmin(ComunaInicialAdmin):
    """Iniciativas de inversión."""

    list_display = ("nombre", "codigo_bip", "etapa", "institucion", "fuente", "monto_solicitado", "es_demo")
    list_filter = ("etapa", "tipologia", "institucion", "fuente", "es_demo")
    search_fields = ("nombre", "codigo_bip", "codigo_licitacion")
    autocomplete_fields = ("localidad", "fuente")
