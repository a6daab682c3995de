"""Admin del ordenamiento territorial: el estado de una propuesta solo lo cambia su flujo."""

from django.contrib import admin

from apps.nucleo.admin import ComunaInicialAdmin
from apps.ordenamiento.models import EtapaPropuesta, PropuestaUsoSuelo, UsoZona, Zona


class EtapaEnLinea(admin.TabularInline):
    """Etapas del flujo de la propuesta, en solo lectura (quedaron congeladas al darse)."""

    model = EtapaPropuesta
    fields = ("fecha", "desde", "hacia", "actor", "version", "fecha_sesion", "numero_acuerdo", "observacion")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        """Una etapa la crea el flujo (apps/ordenamiento/flujo.py), nunca el admin."""
        return False

    def has_change_permission(self, request, obj=None):
        """Lo congelado no se modifica."""
        return False


@admin.register(PropuestaUsoSuelo)
class PropuestaUsoSueloAdmin(ComunaInicialAdmin):
    """Propuestas de uso de suelo: se editan en borrador; el estado avanza por su flujo, no aquí."""

    list_display = ("nombre", "uso_propuesto", "estado", "es_demo")
    list_filter = ("uso_propuesto", "estado", "es_demo")
    search_fields = ("nombre",)
    readonly_fields = ("estado",)
    inlines = (EtapaEnLinea,)

    def get_readonly_fields(self, request, obj=None):
        """Deja todo en solo lectura fuera de borrador (lo enviado queda como se envió)."""
        if obj is not None and not obj.editable:
            return ("comuna", "nombre", "uso_propuesto", "justificacion", "estado", "geom")
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        """Solo una propuesta en borrador se puede eliminar."""
        if obj is not None and not obj.editable:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        """Quita el borrado masivo: saltaría la regla de borrar solo propuestas en borrador."""
        acciones = super().get_actions(request)
        acciones.pop("delete_selected", None)
        return acciones


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
