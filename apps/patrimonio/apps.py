from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrimonioConfig(AppConfig):
    """Configura la app de patrimonio."""

    name = "apps.patrimonio"
    label = "patrimonio"
    verbose_name = _("Patrimonio")
