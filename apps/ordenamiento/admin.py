"""Admin del ordenamiento territorial."""

from django.contrib import admin

from apps.nucleo.admin import ComunaInicialAdmin
from apps.ordenamiento.models import PropuestaUsoSuelo


@admin.register(PropuestaUsoSuelo)
class PropuestaUsoSueloAdmin(ComunaInicialAdmin):
    """Propuestas de uso de suelo."""

    list_display = ("nombre", "uso_propuesto", "estado", "es_demo")
    list_filter = ("uso_propuesto", "estado", "es_demo")
    search_fields = ("nombre",)
