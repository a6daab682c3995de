from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicadoresConfig(AppConfig):
    """Configura los indicadores económicos (UTM y UF) con que se expresan reglas y montos."""

    name = "apps.indicadores"
    label = "indicadores"
    verbose_name = _("Indicadores económicos")
