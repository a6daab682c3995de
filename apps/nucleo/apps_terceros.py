"""Configuración de apps de terceros con nombres en español en el admin (sin tocar sus paquetes)."""

import axes.apps
import pghistory.apps
from django.utils.translation import gettext_lazy as _


class AxesConfig(axes.apps.AppConfig):
    """django-axes: intentos de ingreso fallidos y bloqueos (sus textos: locale/es/…/django.po)."""

    verbose_name = _("Intentos de ingreso")


class PGHistoryConfig(pghistory.apps.PGHistoryConfig):
    """django-pghistory: historial de cambios por triggers."""

    verbose_name = _("Historial")
