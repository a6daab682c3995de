from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisorConfig(AppConfig):
    """Configura el visor de mapas de la oficina (la página /mapa/)."""

    name = "apps.visor"
    label = "visor"
    verbose_name = _("Visor")
