"""Propuestas de uso de suelo (el análisis de superposición llega con las capas de restricción)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from apps.comunas.models import EnComuna
from apps.comunas.restricciones import dentro_de_comuna, geometria_valida
from apps.nucleo.auditoria import auditado
from apps.nucleo.models import MarcableDemo, Versionado


class UsoSuelo(models.TextChoices):
    """Uso de suelo propuesto (categorías de la OGUC)."""

    RESIDENCIAL = "residencial", _("Residencial")
    EQUIPAMIENTO = "equipamiento", _("Equipamiento")
    ACTIVIDADES_PRODUCTIVAS = "productivo", _("Actividades productivas")
    INFRAESTRUCTURA = "infraestructura", _("Infraestructura")
    AREA_VERDE = "area_verde", _("Área verde")
    ESPACIO_PUBLICO = "espacio_publico", _("Espacio público")


class EstadoPropuesta(models.TextChoices):
    """Etapa del flujo de aprobación de la propuesta."""

    BORRADOR = "borrador", _("Borrador")
    EN_REVISION = "en_revision", _("En revisión")
    PRESENTADA = "presentada", _("Presentada al Concejo")
    APROBADA = "aprobada", _("Aprobada")
    RECHAZADA = "rechazada", _("Rechazada")


@auditado
class PropuestaUsoSuelo(EnComuna, Versionado, MarcableDemo):
    """Propuesta de uso de suelo sobre un polígono, con su justificación y estado."""

    nombre = models.CharField(_("nombre"), max_length=200)
    uso_propuesto = models.CharField(_("uso propuesto"), max_length=30, choices=UsoSuelo.choices)
    justificacion = models.TextField(_("justificación"))
    estado = models.CharField(
        _("estado"), max_length=20, choices=EstadoPropuesta.choices, default=EstadoPropuesta.BORRADOR
    )
    geom = models.MultiPolygonField(_("polígono"), srid=settings.TERRITORIO_SRID)

    class Meta:
        verbose_name = _("propuesta de uso de suelo")
        verbose_name_plural = _("propuestas de uso de suelo")
        ordering = ["-modificado"]
        constraints = [geometria_valida("geom", "propuesta")]
        triggers = [dentro_de_comuna("geom")]

    def __str__(self):
        return self.nombre
