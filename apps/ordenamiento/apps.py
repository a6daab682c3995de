from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdenamientoConfig(AppConfig):
    """Configura la app de ordenamiento territorial."""

    name = "apps.ordenamiento"
    label = "ordenamiento"
    verbose_name = _("Ordenamiento territorial")

    def ready(self):
        """Registra el tipo de trabajo de la importación de zonas (capas no importa apps)."""
        from apps.ordenamiento.zonas.trabajo import TIPO
        from capas.trabajos.tipos import tipo_registrar

        tipo_registrar(TIPO)
