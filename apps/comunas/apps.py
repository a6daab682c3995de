from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComunasConfig(AppConfig):
    """Configura la base territorial."""

    name = "apps.comunas"
    label = "comunas"
    verbose_name = _("Base territorial")
