from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CapasConfig(AppConfig):
    """Configura el motor de capas: blinda GDAL, descubre ``<app>/capas.py`` y congela el registro."""

    name = "capas"
    verbose_name = _("Capas")

    def ready(self):
        """Blinda GDAL, llena y congela el registro de capas y registra los tipos de trabajo del motor."""
        from capas.gdal_seguro import blindar

        # Primero: ningún GDAL debe leer un archivo antes de quedar con su lista blanca y sin red.
        blindar()

        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_migrate, post_save

        from capas.importacion.trabajo import TIPO as IMPORTACION
        from capas.importadas import ProveedorImportadas
        from capas.mapas.trabajo import TIPO as IMPRESION
        from capas.models import CapaReferencia
        from capas.registro import registro
        from capas.servicio.usuarios import recordados
        from capas.servicio.versiones import instalar_triggers
        from capas.trabajos.tipos import tipo_registrar

        autodiscover_modules("capas")
        proveedor = ProveedorImportadas()
        registro.agregar_proveedor(proveedor)
        registro.congelar()
        # Señales solo para invalidar lo recordado (capas importadas, usuarios de las lecturas).
        post_save.connect(proveedor.olvidar, sender=CapaReferencia, weak=False)
        post_delete.connect(proveedor.olvidar, sender=CapaReferencia, weak=False)
        recordados.conectar(get_user_model())
        # Triggers de versión de capa en las tablas de las capas registradas (caché de teselas).
        post_migrate.connect(instalar_triggers, sender=self, weak=False)
        # Tipos de trabajo del motor (las apps registran los suyos en su propio ready()).
        tipo_registrar(IMPORTACION)
        tipo_registrar(IMPRESION)
