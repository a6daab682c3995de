"""Admin del historial de cambios en español (sobre el de django-pghistory)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.html import format_html_join
from pghistory.admin.core import EventsAdmin

ACCIONES = {"alta": "Alta", "cambio": "Cambio", "baja": "Baja"}


class HistorialAdmin(EventsAdmin):
    """Lista de eventos con fecha, registro, acción, usuario y campos cambiados (antes → después)."""

    list_display = ("fecha", "registro", "accion", "usuario", "cambios")

    def get_list_display(self, request):
        """Usa las columnas en español en vez de las de pghistory."""
        return self.list_display

    @admin.display(description="fecha", ordering="pgh_created_at")
    def fecha(self, evento):
        """Devuelve cuándo ocurrió."""
        return evento.pgh_created_at

    @admin.display(description="registro")
    def registro(self, evento):
        """Devuelve el tipo de registro y su identificador."""
        return f"{evento.pgh_obj_model} #{evento.pgh_obj_id}"

    @admin.display(description="acción")
    def accion(self, evento):
        """Devuelve alta, cambio o baja."""
        return ACCIONES.get(evento.pgh_label, evento.pgh_label)

    def changelist_view(self, request, extra_context=None):
        """Prepara el caché de nombres de usuario de esta página."""
        self._nombres = {}
        return super().changelist_view(request, extra_context)

    @admin.display(description="usuario")
    def usuario(self, evento):
        """Devuelve quién hizo el cambio, o el origen si fue una orden del sistema."""
        contexto = evento.pgh_context or {}
        pk = contexto.get("user")
        if pk is None:
            return contexto.get("origen") or "—"
        if pk not in self._nombres:
            cuenta = get_user_model().objects.filter(pk=pk).values_list("username", flat=True).first()
            self._nombres[pk] = cuenta or f"#{pk}"
        return self._nombres[pk]

    @admin.display(description="cambios (antes → después)")
    def cambios(self, evento):
        """Devuelve los campos cambiados, sin las geometrías completas."""
        diferencias = evento.pgh_diff or {}
        filas = [
            (campo, _corto(antes), _corto(despues))
            for campo, (antes, despues) in sorted(diferencias.items())
            if campo not in ("version", "modificado")
        ]
        return format_html_join("", "<div><b>{}</b>: {} → {}</div>", filas) or "—"


def _corto(valor) -> str:
    """Devuelve el valor acortado para la lista (una geometría en EWKB ocupa miles de caracteres)."""
    texto = "∅" if valor is None else str(valor)
    return texto if len(texto) <= 60 else texto[:57] + "…"
