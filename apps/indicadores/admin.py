from django.contrib import admin

from apps.indicadores.models import ValorIndicador


@admin.register(ValorIndicador)
class ValorIndicadorAdmin(admin.ModelAdmin):
    """Valores cargados de la UTM y la UF (se cargan con la orden indicadores_cargar)."""

    list_display = ("indicador", "fecha", "valor")
    list_filter = ("indicador",)
    date_hierarchy = "fecha"

    def has_add_permission(self, request):
        return False  # solo por la orden, que valida la serie completa

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
