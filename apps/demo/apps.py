from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Configura el conjunto de demostración (sin modelos propios)."""

    name = "apps.demo"
    label = "demo"
    verbose_name = _("Demostración")
