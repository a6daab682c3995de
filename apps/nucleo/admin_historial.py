"""Admin del historial de cambios en español (sobre el de django-pghistory)."""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.utils.html import format_html_join
from pghistory.admin import core

ACCIONES = {"alta": "Alta", "cambio": "Cambio", "baja": "Baja"}


def _nombre_modelo(etiqueta: str) -> str:
    """Devuelve el nombre en español del modelo «app.Modelo» (o la etiqueta si ya no existe)."""
    try:
        return str(apps.get_model(etiqueta)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return etiqueta


class FiltroAccion(core.LabelFilter):
    """Filtra por alta, cambio o baja."""

    title = "acción"

    def lookups(self, request, model_admin):
        """Devuelve las acciones con su nombre en español."""
        return [(clave, ACCIONES.get(clave, clave)) for clave, _n in super().lookups(request, model_admin)]


class FiltroTipoRegistro(core.EventModelFilter):
    """Filtra por el tipo de registro (la tabla de eventos de cada modelo)."""

    title = "tipo de registro"

    def lookups(self, request, model_admin):
        """Devuelve los tipos de registro por su nombre en español."""
        modelos = core._filter_event_models(request)
        filas = [(m._meta.label_lower, _nombre_modelo(m.pgh_tracked_model._meta.label)) for m in modelos]
        return sorted(filas, key=lambda fila: fila[1])


class FiltroRelacion(core.MethodFilter):
    """Eventos del registro mismo o de los que lo mencionan."""

    title = "relación"

    def lookups(self, request, model_admin):
        """Devuelve las dos relaciones en español."""
        return (("tracks", "cambios del registro"), ("references", "registros que lo mencionan"))


class FiltroRegistro(core.ObjFilter):
    """Registro cuyo historial se mira (viene del enlace «Historial» de su ficha)."""

    title = "registro"

    def lookups(self, request, model_admin):
        """Muestra el registro por su nombre, no como «app.Modelo:pk»."""
        if not self.value():
            return []
        obj = core._get_obj(self.value())
        nombre = f"{_nombre_modelo(obj._meta.label)} #{obj.pk}" if obj is not None else self.value()
        return [(self.value(), nombre)]


class FiltroModelo(core.ModelFilter):
    """Tipo de registro cuyo historial se mira."""

    title = "tipo de registro"


class HistorialAdmin(core.EventsAdmin):
    """Lista de eventos con fecha, registro, acción, usuario y campos cambiados (antes → después)."""

    list_display = ("fecha", "registro", "accion", "usuario", "cambios")
    fields = list_display
    readonly_fields = list_display

    def get_list_display(self, request):
        """Usa las columnas en español en vez de las de pghistory."""
        return self.list_display

    def get_list_filter(self, request):
        """Usa los filtros de pghistory con títulos y opciones en español."""
        filtros = [FiltroAccion, FiltroTipoRegistro]
        if "obj" in request.GET:
            filtros += [FiltroRelacion, FiltroRegistro, core.BackFilter]
        elif "model" in request.GET:
            filtros += [FiltroModelo, core.BackFilter]
        return filtros

    @admin.display(description="fecha", ordering="pgh_created_at")
    def fecha(self, evento):
        """Devuelve cuándo ocurrió."""
        return evento.pgh_created_at

    @admin.display(description="registro")
    def registro(self, evento):
        """Devuelve el tipo de registro y su identificador."""
        return f"{_nombre_modelo(evento.pgh_obj_model)} #{evento.pgh_obj_id}"

    @admin.display(description="acción")
    def accion(self, evento):
        """Devuelve alta, cambio o baja."""
        return ACCIONES.get(evento.pgh_label, evento.pgh_label)

    def changelist_view(self, request, extra_context=None):
        """Titula la lista en español (pghistory pone «Tracks …») y prepara el caché de nombres."""
        self._nombres = {}
        contexto = {"title": "Historial de cambios"}
        obj = core._get_obj(request.GET.get("obj"))
        modelo = core._get_model(request.GET.get("model"))
        if obj is not None:
            try:
                obj.refresh_from_db()
                contexto["subtitle"] = f"{_nombre_modelo(obj._meta.label)} «{obj}»"
            except ObjectDoesNotExist:
                contexto["subtitle"] = f"{_nombre_modelo(obj._meta.label)} #{obj.pk} (eliminado)"
        elif modelo is not None:
            contexto["subtitle"] = _nombre_modelo(modelo._meta.label)
        if "back" in request.GET:
            contexto["pgh_back"] = request.GET["back"]
        contexto.update(extra_context or {})
        return admin.ModelAdmin.changelist_view(self, request, contexto)

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
