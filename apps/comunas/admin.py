"""Admin de la base territorial."""

from django.contrib import admin

from apps.comunas.models import Comuna, Localidad
from apps.nucleo.admin import ComunaInicialAdmin, TerritorioAdmin


@admin.register(Comuna)
class ComunaAdmin(TerritorioAdmin):
    """Comunas cargadas (normalmente una: la configurada)."""

    list_display = ("cut", "nombre", "provincia", "region", "epsg", "fuente")
    search_fields = ("cut", "nombre")
    # El límite y su tolerancia se cambian con ./run manage comuna_cargar, que recalcula el límite
    # admisible y verifica que ningún registro quede fuera.
    readonly_fields = ("cut", "limite", "tolerancia_m", "epsg", "fuente")
    exclude = ("srid_metrico",)

    @admin.display(description="SRID métrico (EPSG)", ordering="srid_metrico")
    def epsg(self, comuna):
        """Un código EPSG, no una cantidad: sin punto de miles («32718», no «32.718»)."""
        return str(comuna.srid_metrico)

    def has_add_permission(self, request):
        """Las comunas se cargan con la orden comuna_cargar, no a mano."""
        return False

    def has_delete_permission(self, request, obj=None):
        """Una comuna con registros no se borra desde el admin."""
        return False


@admin.register(Localidad)
class LocalidadAdmin(ComunaInicialAdmin):
    """Localidades y sectores de la comuna."""

    list_display = ("nombre", "tipo", "poblacion", "comuna", "es_demo")
    list_filter = ("tipo", "es_demo")
    search_fields = ("nombre",)
