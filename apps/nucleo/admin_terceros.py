"""Admin de django-axes en español: columnas, filtros y nombres de cada registro.

Los nombres de modelos y campos de axes vienen de locale/es/LC_MESSAGES/django.po; aquí lo que axes no
traduce (columnas sin descripción y el texto de cada registro).
"""

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from apps.nucleo.formatos import fecha_hora


class IntentoAdmin(axes_admin.AccessAttemptAdmin):
    """Intentos fallidos vigentes por usuario y dirección (lo que cuenta para el bloqueo)."""

    @admin.display(description="vence")
    def expiration(self, obj):
        """Devuelve cuándo vence el intento (o «sin fecha»)."""
        return fecha_hora(obj.expiration.expires_at) if hasattr(obj, "expiration") else "sin fecha"

    @admin.display(description="estado")
    def status(self, obj):
        """Devuelve cuántos intentos le quedan o si está bloqueado."""
        quedan = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if quedan <= 0:
            return "bloqueado"
        return f"{quedan} intento restante" if quedan == 1 else f"{quedan} intentos restantes"


def _texto_intento(intento) -> str:
    """Describe un intento fallido vigente."""
    return f"Intento de {intento.username or '—'} del {fecha_hora(intento.attempt_time)}"


def _texto_registro(registro) -> str:
    """Describe un ingreso registrado."""
    return f"Ingreso de {registro.username or '—'} el {fecha_hora(registro.attempt_time)}"


def _texto_fallo(fallo) -> str:
    """Describe un ingreso fallido (y si quedó bloqueado)."""
    bloqueo = " (bloqueado)" if fallo.locked_out else ""
    cuando = fecha_hora(fallo.attempt_time)
    return f"Fallo de {fallo.username or '—'}{bloqueo} el {cuando} desde {fallo.ip_address}"


def axes_en_espanol() -> None:
    """Reemplaza el admin y el texto de los registros de axes (se llama al cargar el admin)."""
    AccessAttempt.__str__ = _texto_intento
    AccessLog.__str__ = _texto_registro
    AccessFailureLog.__str__ = _texto_fallo
    if admin.site.is_registered(AccessAttempt):
        admin.site.unregister(AccessAttempt)
        admin.site.register(AccessAttempt, IntentoAdmin)
