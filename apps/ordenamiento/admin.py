"""Admin del ordenamiento territorial."""

from django.contrib import admin

from apps.nucleo.admin import ComunaInicialAdmin
from apps.ordenamiento.models import PropuestaUsoSuelo, UsoZona, Zona


@admin.register(PropuestaUsoSuelo)
class PropuestaUsoSueloAdmin(ComunaInicialAdmin):
    """Propuestas de uso de suelo."""

    list_display = ("nombre", "uso_propuesto", "estado", "es_demo")
    list_filter = ("uso_propuesto", "estado", "es_demo")
    search_fields = ("nombre",)


class UsoZonaEnLinea(admin.TabularInline):
    """Usos de la zona, solo para leer: se editan en la página de la zona (servicio con versión)."""

    model = UsoZona
    fields = ("uso", "condicion", "observacion")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Zona)
class ZonaAdmin(ComunaInicialAdmin):
    """Zonas de los instrumentos de planificación; sus usos se ven aquí y se editan en el sitio."""

    list_display = ("codigo", "nombre", "instrumento", "nombre_instrumento", "es_demo")
    list_filter = ("instrumento", "nombre_instrumento", "es_demo")
    search_fields = ("codigo", "nombre")
    inlines = [UsoZonaEnLinea]
