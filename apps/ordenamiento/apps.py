from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdenamientoConfig(AppConfig):
    """Configura la app de ordenamiento territorial."""

    name = "apps.ordenamiento"
    label = "ordenamiento"
    verbose_name = _("Ordenamiento territorial")

    def ready(self):
        """Registra los trabajos del ordenamiento y programa la preparación al cambiar capas."""
        from django.db.models.signals import post_delete, post_save

        from apps.ordenamiento.cauces_trabajo import TIPO as FRANJA_CAUCES
        from apps.ordenamiento.trabajos import TIPO as PREPARACION
        from apps.ordenamiento.trabajos import capa_cambiada
        from apps.ordenamiento.zonas.trabajo import TIPO as IMPORTACION_ZONAS
        from capas.models import CapaReferencia, ElementoReferencia
        from capas.trabajos.tipos import tipo_registrar

        tipo_registrar(PREPARACION)
        tipo_registrar(IMPORTACION_ZONAS)
        tipo_registrar(FRANJA_CAUCES)
        # Señales solo para invalidar la caché de fragmentos (la preparación corre como trabajo).
        post_save.connect(capa_cambiada, sender=CapaReferencia, weak=False)
        post_delete.connect(capa_cambiada, sender=CapaReferencia, weak=False)
        post_save.connect(capa_cambiada, sender=ElementoReferencia, weak=False)
