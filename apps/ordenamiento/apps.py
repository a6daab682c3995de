from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdenamientoConfig(AppConfig):
    """Configura la app de ordenamiento territorial."""

    name = "apps.ordenamiento"
    label = "ordenamiento"
    verbose_name = _("Ordenamiento territorial")

    def ready(self):
        """Registra los trabajos (preparación de restricciones, importación de zonas, PDF del informe)
        y vigila las capas (capas no importa apps)."""
        from django.db.models.signals import post_delete, post_save

        from apps.ordenamiento.informe.trabajo import TIPO as TIPO_INFORME
        from apps.ordenamiento.trabajos import TIPO, capa_cambiada
        from apps.ordenamiento.zonas.trabajo import TIPO as TIPO_ZONAS
        from capas.models import CapaReferencia, ElementoReferencia
        from capas.trabajos.tipos import tipo_registrar

        tipo_registrar(TIPO)
        tipo_registrar(TIPO_ZONAS)
        tipo_registrar(TIPO_INFORME)
        # Señales solo para invalidar la caché de fragmentos (la preparación corre como trabajo).
        post_save.connect(capa_cambiada, sender=CapaReferencia, weak=False)
        post_delete.connect(capa_cambiada, sender=CapaReferencia, weak=False)
        post_save.connect(capa_cambiada, sender=ElementoReferencia, weak=False)
