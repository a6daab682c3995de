from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CapasConfig(AppConfig):
    """Configura el motor de capas: descubre ``<app>/capas.py`` y congela el registro."""

    name = "capas"
    verbose_name = _("Capas")

    def ready(self):
        """Llena el registro con las capas de cada app y el proveedor de importadas; lo congela."""
        from capas.importadas import ProveedorImportadas
        from capas.registro import registro

        autodiscover_modules("capas")
        registro.agregar_proveedor(ProveedorImportadas())
        registro.congelar()
