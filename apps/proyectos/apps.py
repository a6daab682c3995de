from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProyectosConfig(AppConfig):
    """Configura la app de proyectos."""

    name = "apps.proyectos"
    label = "proyectos"
    verbose_name = _("Proyectos")
