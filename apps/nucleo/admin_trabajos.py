"""Admin de la cola de trabajos (procrastinate) en español: estados, eventos, columnas y acciones.

procrastinate no traduce nada; su admin se reemplaza por este (los campos se muestran con métodos
propios: cambiar el verbose_name de un campo de terceros pediría una migración en su paquete).
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from procrastinate.contrib.django import admin as cola_admin
from procrastinate.contrib.django.models import ProcrastinateEvent, ProcrastinateJob

from apps.nucleo.formatos import fecha_hora

ESTADOS = {
    "todo": "en cola",
    "doing": "en curso",
    "succeeded": "terminado",
    "failed": "falló",
    "cancelled": "cancelado",
    "aborting": "abortando",
    "aborted": "abortado",
}
EVENTOS = {
    "deferred": "encolado",
    "started": "iniciado",
    "deferred_for_retry": "encolado para reintentar",
    "failed": "falló",
    "succeeded": "terminado",
    "cancelled": "cancelado",
    "abort_requested": "aborto pedido",
    "aborted": "abortado",
    "scheduled": "programado",
    "retried": "reintentado",
}


class FiltroEstado(admin.SimpleListFilter):
    """Filtra por estado del trabajo."""

    title = "estado"
    parameter_name = "estado"

    def lookups(self, request, model_admin):
        """Devuelve los estados en español."""
        return list(ESTADOS.items())

    def queryset(self, request, queryset):
        """Filtra por el estado elegido."""
        return queryset.filter(status=self.value()) if self.value() else queryset


class FiltroTarea(admin.SimpleListFilter):
    """Filtra por tarea."""

    title = "tarea"
    parameter_name = "tarea"

    def lookups(self, request, model_admin):
        """Devuelve las tareas que hay en la cola."""
        tareas = model_admin.model.objects.values_list("task_name", flat=True).distinct()
        return [(t, t.rsplit(".", 1)[-1]) for t in sorted(tareas)]

    def queryset(self, request, queryset):
        """Filtra por la tarea elegida."""
        return queryset.filter(task_name=self.value()) if self.value() else queryset


class EventoInline(admin.TabularInline):
    """Eventos del trabajo (encolado, iniciado, terminado…)."""

    model = ProcrastinateEvent
    fields = readonly_fields = ("evento", "cuando")
    extra = 0
    can_delete = False
    verbose_name = "evento"
    verbose_name_plural = "eventos"

    def has_add_permission(self, request, obj=None):
        """Los eventos los escribe la cola."""
        return False

    def has_change_permission(self, request, obj=None):
        """Solo lectura."""
        return False

    @admin.display(description="evento")
    def evento(self, obj):
        """Devuelve el tipo de evento en español."""
        return EVENTOS.get(obj.type, obj.type)

    @admin.display(description="cuándo")
    def cuando(self, obj):
        """Devuelve la fecha y hora del evento."""
        return fecha_hora(obj.at)


class TrabajoEnColaAdmin(cola_admin.ProcrastinateJobAdmin):
    """Trabajos en cola en solo lectura, con las acciones de reintentar, cancelar y abortar."""

    fields = readonly_fields = (
        "pk",
        "tarea",
        "argumentos",
        "estado",
        "cola",
        "prioridad",
        "programado",
        "intentos",
    )
    list_display = ("pk", "tarea", "argumentos", "estado", "resumen")
    list_filter = (FiltroEstado, FiltroTarea)
    inlines = [EventoInline]
    actions = ["reintentar", "cancelar", "abortar"]

    def get_readonly_fields(self, request, obj=None):
        """Muestra solo los campos en español."""
        return self.readonly_fields

    @admin.display(description="tarea")
    def tarea(self, obj):
        """Devuelve el nombre corto de la tarea."""
        return obj.task_name.rsplit(".", 1)[-1]

    @admin.display(description="argumentos")
    def argumentos(self, obj):
        """Devuelve los argumentos de la tarea."""
        return self.pretty_args(obj)

    @admin.display(description="estado")
    def estado(self, obj):
        """Devuelve el estado en español."""
        return ESTADOS.get(obj.status, obj.status)

    @admin.display(description="cola")
    def cola(self, obj):
        """Devuelve la cola."""
        return obj.queue_name

    @admin.display(description="prioridad")
    def prioridad(self, obj):
        """Devuelve la prioridad."""
        return obj.priority

    @admin.display(description="programado para")
    def programado(self, obj):
        """Devuelve cuándo se programó, si se programó."""
        return fecha_hora(obj.scheduled_at) if obj.scheduled_at else "—"

    @admin.display(description="intentos")
    def intentos(self, obj):
        """Devuelve cuántas veces se intentó."""
        return obj.attempts

    @admin.display(description="resumen")
    def resumen(self, obj):
        """Devuelve el último evento, hace cuánto, la cola y los intentos."""
        ultimo = obj.procrastinateevent_set.first()
        filas = []
        if ultimo is not None:
            filas.append(
                (EVENTOS.get(ultimo.type, ultimo.type), f"hace {timesince(ultimo.at, timezone.now())}")
            )
        filas.append(("cola", obj.queue_name))
        if obj.attempts > 1:
            filas.append(("intentos", obj.attempts))
        return format_html_join("", "<div>{}: {}</div>", filas) or format_html("—")

    @admin.action(description="Reintentar (fallidos o en curso)")
    def reintentar(self, request, queryset):
        """Vuelve a encolar los trabajos fallidos o en curso."""
        cola_admin.ProcrastinateJobAdmin.retry(self, request, queryset)

    @admin.action(description="Cancelar (solo en cola)")
    def cancelar(self, request, queryset):
        """Cancela los trabajos que aún no empiezan."""
        cola_admin.ProcrastinateJobAdmin.cancel(self, request, queryset)

    @admin.action(description="Abortar (en cola o en curso)")
    def abortar(self, request, queryset):
        """Pide abortar los trabajos en cola o en curso."""
        cola_admin.ProcrastinateJobAdmin.abort(self, request, queryset)


def _texto_trabajo(trabajo) -> str:
    """Describe un trabajo en cola."""
    tarea = trabajo.task_name.rsplit(".", 1)[-1]
    return f"Trabajo {trabajo.pk} ({tarea}, {ESTADOS.get(trabajo.status, trabajo.status)})"


def cola_en_espanol() -> None:
    """Nombra los modelos en español y cambia el admin.

    Las migraciones leen los Meta declarados (``_meta.original_attrs``), no estos nombres: no hay cambio
    de esquema que detectar.
    """
    for modelo, singular, plural in (
        (ProcrastinateJob, "trabajo en cola", "trabajos en cola"),
        (ProcrastinateEvent, "evento de trabajo", "eventos de trabajos"),
    ):
        modelo._meta.verbose_name, modelo._meta.verbose_name_plural = singular, plural
    ProcrastinateJob.__str__ = _texto_trabajo
    if admin.site.is_registered(ProcrastinateJob):
        admin.site.unregister(ProcrastinateJob)
        admin.site.register(ProcrastinateJob, TrabajoEnColaAdmin)
