"""Admin del patrimonio municipal."""

from django.contrib import admin

from apps.nucleo.admin import ComunaInicialAdmin
from apps.patrimonio.models import Activo, BienInmueble, Concesion


@admin.register(BienInmueble)
class BienInmuebleAdmin(ComunaInicialAdmin):
    """Bienes inmuebles municipales."""

    list_display = ("rol_sii", "nombre", "destino", "tenencia", "estado_saneamiento", "es_demo")
    list_filter = ("destino", "tenencia", "estado_saneamiento", "es_demo")
    search_fields = ("nombre", "direccion", "rol_manzana")


@admin.register(Activo)
class ActivoAdmin(ComunaInicialAdmin):
    """Activos municipales."""

    list_display = ("nombre", "tipo", "inmueble", "es_demo")
    list_filter = ("tipo", "es_demo")
    search_fields = ("nombre",)
    autocomplete_fields = ("inmueble",)


@admin.register(Concesion)
class ConcesionAdmin(ComunaInicialAdmin):
    """Concesiones, arriendos, comodatos, ventas y remates."""

    list_display = (
        "activo",
        "tipo",
        "titular_nombre",
        "titular_rut",
        "fecha_inicio",
        "fecha_termino",
        "estado",
        "es_demo",
    )
    list_filter = ("tipo", "estado", "es_demo")
    search_fields = ("titular_nombre", "titular_rut")
    autocomplete_fields = ("activo",)
