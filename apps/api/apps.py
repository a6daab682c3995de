from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Configura la API REST (/api/)."""

    name = "apps.api"
    label = "api"
    verbose_name = _("API REST")
