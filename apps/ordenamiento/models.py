"""Propuestas de uso de suelo (el análisis de superposición llega con las capas de restricción)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from apps.comunas.models import EnComuna
from apps.comunas.reglas_bd import dentro_de_comuna
from apps.nucleo.auditoria import auditado
from apps.nucleo.concurrencia import version_automatica
from apps.nucleo.models import MarcableDemo, Versionado
from apps.ordenamiento.choices import EstadoPropuesta, UsoSuelo
from capas.reglas_bd import geometria_valida


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
        triggers = [version_automatica(), dentro_de_comuna("geom")]

    def __str__(self):
        return self.nombre
