"""Admin de las capas importadas (se importan con capas_importar o el formulario de carga)."""

from django.contrib import admin

from capas.importacion.raster import raster_eliminar
from capas.models import CapaRaster, CapaReferencia


@admin.register(CapaReferencia)
class CapaReferenciaAdmin(admin.ModelAdmin):
    """Capas vectoriales importadas: se editan sus metadatos; la geometría viene del archivo."""

    list_display = (
        "nombre",
        "titulo",
        "categoria",
        "tipo_geometria",
        "n_elementos",
        "srid_origen",
        "publica",
    )
    list_filter = ("categoria", "publica")
    search_fields = ("nombre", "titulo")
    readonly_fields = (
        "nombre",
        "tipo_geometria",
        "campos",
        "srid_origen",
        "archivo_origen",
        "formato",
        "n_elementos",
        "informe",
        "creada",
        "creada_por",
    )

    def has_add_permission(self, request):
        """Las capas se crean importando un archivo, no a mano."""
        return False


@admin.register(CapaRaster)
class CapaRasterAdmin(admin.ModelAdmin):
    """Capas ráster importadas."""

    list_display = ("nombre", "titulo", "categoria", "ancho", "alto", "bandas", "srid", "publica")
    list_filter = ("categoria", "publica")
    search_fields = ("nombre", "titulo")
    readonly_fields = (
        "nombre",
        "archivo",
        "archivo_origen",
        "srid",
        "ancho",
        "alto",
        "bandas",
        "tipo_dato",
        "resolucion_x",
        "resolucion_y",
        "nodata",
        "extension",
        "estadisticas",
        "informe",
        "creada",
        "creada_por",
    )

    def has_add_permission(self, request):
        """Los rásteres se crean importando un archivo, no a mano."""
        return False

    def delete_model(self, request, obj):
        """Borra la capa y su archivo GeoTIFF."""
        raster_eliminar(capa=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        """Borra las capas seleccionadas y sus archivos."""
        for capa in queryset:
            raster_eliminar(capa=capa, actor=request.user)
