from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapasConfig(AppConfig):
    """Configura el motor de capas."""

    name = "capas"
    verbose_name = _("Capas")
