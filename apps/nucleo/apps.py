from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NucleoConfig(AppConfig):
    """Configura el núcleo de la plataforma."""

    name = "apps.nucleo"
    label = "nucleo"
    verbose_name = _("Núcleo")
