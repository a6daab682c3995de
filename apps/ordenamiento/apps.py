from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdenamientoConfig(AppConfig):
    """Configura la app de ordenamiento territorial."""

    name = "apps.ordenamiento"
    label = "ordenamiento"
    verbose_name = _("Ordenamiento territorial")
