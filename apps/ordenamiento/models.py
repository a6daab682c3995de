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


class CapaPreparada(models.Model):
    """Capa de restricción disuelta y partida en fragmentos métricos, lista para el análisis.

    Caché derivada de los elementos de la capa (la reconstruye ``preparacion``): vale mientras su
    ``version`` sea la versión actual de la capa; si no, el análisis calcula esa capa desde sus
    elementos. El SRID de ``geom`` es el métrico de la comuna de la capa (columna sin SRID fijo).
    """

    capa = models.OneToOneField(
        "capas.CapaReferencia", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField(_("versión de la capa"), null=True)
    srid = models.PositiveIntegerField(_("SRID métrico"))
    preparada = models.DateTimeField(_("preparada"), auto_now=True)

    class Meta:
        verbose_name = _("capa preparada")
        verbose_name_plural = _("capas preparadas")


class FragmentoCapa(models.Model):
    """Fragmento (pocos vértices) de la disolución de una capa, en el SRID métrico, con su área."""

    capa = models.ForeignKey(CapaPreparada, on_delete=models.CASCADE, related_name="fragmentos")
    geom = models.GeometryField(_("geometría"), srid=0, spatial_index=True)
    area_m2 = models.FloatField(_("área (m²)"))

    class Meta:
        verbose_name = _("fragmento de capa")
        verbose_name_plural = _("fragmentos de capa")


class CategoriaPreparada(models.Model):
    """Categoría de restricción de una comuna disuelta (sin dobles conteos) y partida en fragmentos.

    ``firma`` lista «capa:versión» de las capas que la formaban: si ya no coincide con las capas
    actuales de la categoría, el análisis no usa estos fragmentos.
    """

    comuna = models.ForeignKey(
        "comunas.Comuna", on_delete=models.CASCADE, verbose_name=_("comuna"), related_name="+"
    )
    categoria = models.CharField(_("categoría"), max_length=30)
    firma = models.TextField(_("firma de las capas"))
    srid = models.PositiveIntegerField(_("SRID métrico"))
    preparada = models.DateTimeField(_("preparada"), auto_now=True)

    class Meta:
        verbose_name = _("categoría preparada")
        verbose_name_plural = _("categorías preparadas")
        constraints = [
            models.UniqueConstraint(fields=["comuna", "categoria"], name="categoria_preparada_unica")
        ]


class FragmentoCategoria(models.Model):
    """Fragmento de la disolución de una categoría de restricción, en el SRID métrico."""

    categoria = models.ForeignKey(CategoriaPreparada, on_delete=models.CASCADE, related_name="fragmentos")
    geom = models.GeometryField(_("geometría"), srid=0, spatial_index=True)
    area_m2 = models.FloatField(_("área (m²)"))

    class Meta:
        verbose_name = _("fragmento de categoría")
        verbose_name_plural = _("fragmentos de categoría")
