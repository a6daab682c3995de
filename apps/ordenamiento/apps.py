from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdenamientoConfig(AppConfig):
    """Configura la app de ordenamiento territorial."""

    name = "apps.ordenamiento"
    label = "ordenamiento"
    verbose_name = _("Ordenamiento territorial")

    def ready(self):
        """Registra los trabajos (preparación de restricciones, zonas, franja de cauces, PDF del informe)
        y vigila las capas (capas no importa apps)."""
        from django.db.models.signals import post_delete, post_save

        from apps.ordenamiento.cauces.trabajo import TIPO as FRANJA_CAUCES
        from apps.ordenamiento.informe.trabajo import TIPO as INFORME_PDF
        from apps.ordenamiento.trabajos import TIPO as PREPARACION
        from apps.ordenamiento.trabajos import capa_cambiada
        from apps.ordenamiento.zonas.trabajo import TIPO as IMPORTACION_ZONAS
        from capas.models import CapaReferencia, ElementoReferencia
        from capas.trabajos.tipos import tipo_registrar

        for tipo in (PREPARACION, IMPORTACION_ZONAS, FRANJA_CAUCES, INFORME_PDF):
            tipo_registrar(tipo)
        # Señales solo para invalidar la caché de fragmentos (la preparación corre como trabajo).
        post_save.connect(capa_cambiada, sender=CapaReferencia, weak=False)
        post_delete.connect(capa_cambiada, sender=CapaReferencia, weak=False)
        post_save.connect(capa_cambiada, sender=ElementoReferencia, weak=False)
