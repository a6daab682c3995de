"""Configuración de apps de terceros con nombres en español en el admin (sin tocar sus paquetes)."""

import axes.apps
import pghistory.apps
import procrastinate.contrib.django.apps
from django.utils.translation import gettext_lazy as _


class AxesConfig(axes.apps.AppConfig):
    """django-axes: intentos de ingreso fallidos y bloqueos (sus textos: locale/es/…/django.po)."""

    verbose_name = _("Intentos de ingreso")

    def ready(self):
        """Cambia el admin de axes por el de nombres en español (el admin ya cargó: va primero)."""
        super().ready()
        from apps.nucleo.admin_terceros import axes_en_espanol

        axes_en_espanol()


class PGHistoryConfig(pghistory.apps.PGHistoryConfig):
    """django-pghistory: historial de cambios por triggers."""

    verbose_name = _("Historial")


class ProcrastinateConfig(procrastinate.contrib.django.apps.ProcrastinateConfig):
    """procrastinate: la cola de trabajos en segundo plano (importaciones, impresiones)."""

    verbose_name = _("Cola de trabajos")

    def ready(self):
        """Cambia el admin de la cola por el de nombres en español (el admin ya cargó)."""
        super().ready()
        from apps.nucleo.admin_trabajos import cola_en_espanol

        cola_en_espanol()
