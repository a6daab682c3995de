"""Admin de las capas importadas (se importan con capas_importar o el formulario de carga)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from capas.importacion.raster import raster_eliminar
from capas.models import CapaRaster, CapaReferencia, MapaBase


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
        "de_contexto",
    )
    list_filter = ("categoria", "publica", "de_contexto")
    search_fields = ("nombre", "titulo")
    # El estilo se edita en su página (con muestra), no aquí.
    exclude = ("relleno", "borde", "ancho", "opacidad")
    readonly_fields = (
        "estilo",
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

    @admin.display(description="estilo")
    def estilo(self, obj):
        """Enlace a la página del estilo de la capa."""
        if not obj.pk:
            return "—"
        url = reverse("capas:referencia:estilo", args=[obj.nombre])
        return format_html('<a href="{}">Cambiar el estilo</a>', url)


@admin.register(MapaBase)
class MapaBaseAdmin(admin.ModelAdmin):
    """Mapas base XYZ o WMS: los pide el navegador de quien mira el mapa, nunca el servidor."""

    list_display = ("titulo", "tipo", "url", "orden", "activo", "por_omision")
    list_editable = ("orden", "activo")
    list_filter = ("tipo", "activo")
    search_fields = ("nombre", "titulo", "url")
    prepopulated_fields = {"nombre": ("titulo",)}
    fieldsets = (
        (None, {"fields": ("titulo", "nombre", "tipo", "url", "atribucion")}),
        ("Solo WMS", {"fields": ("capas", "formato", "transparente")}),
        ("En los mapas", {"fields": ("orden", "activo", "por_omision")}),
    )


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
