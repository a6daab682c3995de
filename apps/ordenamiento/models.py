"""Propuestas de uso de suelo y las etapas de su flujo de aprobación (con el informe congelado)."""

import pgtrigger
from django.conf import settings
from django.contrib.gis.db import models
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
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
        # Permisos del flujo (apps/ordenamiento/flujo.py): el rol decide quién mueve cada etapa.
        permissions = [
            ("enviar_propuesta", _("Puede enviar propuestas a revisión")),
            ("devolver_propuesta", _("Puede devolver a borrador propuestas en revisión")),
            ("presentar_propuesta", _("Puede presentar propuestas al Concejo")),
            ("decidir_propuesta", _("Puede registrar la decisión del Concejo sobre propuestas")),
        ]

    def __str__(self):
        return self.nombre

    @property
    def editable(self) -> bool:
        """Indica si la propuesta se puede editar o eliminar (solo en borrador)."""
        return self.estado == EstadoPropuesta.BORRADOR


def etapa_inmutable() -> pgtrigger.Trigger:
    """Devuelve el trigger que rechaza modificar una etapa: lo congelado no cambia nunca."""
    return pgtrigger.Trigger(
        name="etapa_inmutable",
        operation=pgtrigger.Update,
        when=pgtrigger.Before,
        func="""
            RAISE EXCEPTION USING
                ERRCODE = 'check_violation',
                MESSAGE = 'Una etapa de una propuesta no se modifica: registra lo que hubo en ese momento.';
        """,
    )


class EtapaPropuesta(EnComuna):
    """Paso del flujo de una propuesta: quién, cuándo, de qué estado a cuál y la propuesta congelada."""

    propuesta = models.ForeignKey(
        PropuestaUsoSuelo, on_delete=models.CASCADE, related_name="etapas", verbose_name=_("propuesta")
    )
    desde = models.CharField(_("desde"), max_length=20, choices=EstadoPropuesta.choices)
    hacia = models.CharField(_("hacia"), max_length=20, choices=EstadoPropuesta.choices)
    # Las cuentas se desactivan, no se borran: la etapa conserva a su autor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("actor")
    )
    fecha = models.DateTimeField(_("fecha"), default=timezone.now)
    version = models.PositiveIntegerField(_("versión de la propuesta"))
    nombre = models.CharField(_("nombre"), max_length=200)
    uso_propuesto = models.CharField(_("uso propuesto"), max_length=30, choices=UsoSuelo.choices)
    justificacion = models.TextField(_("justificación"))
    geom = models.MultiPolygonField(_("polígono"), srid=settings.TERRITORIO_SRID)
    informe = models.JSONField(_("informe de superposición"), encoder=DjangoJSONEncoder)
    fecha_sesion = models.DateField(_("fecha de la sesión del Concejo"), null=True, blank=True)
    numero_acuerdo = models.CharField(_("número de acuerdo"), max_length=40, blank=True)
    observacion = models.TextField(_("observación"), blank=True)

    class Meta:
        verbose_name = _("etapa de propuesta")
        verbose_name_plural = _("etapas de propuestas")
        ordering = ["propuesta", "fecha", "pk"]
        constraints = [
            geometria_valida("geom", "etapapropuesta"),
            models.CheckConstraint(
                condition=~models.Q(hacia__in=("aprobada", "rechazada"))
                | (models.Q(fecha_sesion__isnull=False) & ~models.Q(numero_acuerdo="")),
                name="etapapropuesta_decision_con_acuerdo",
                violation_error_message=_(
                    "La decisión del Concejo exige fecha de sesión y número de acuerdo."
                ),
            ),
        ]
        triggers = [etapa_inmutable()]

    def __str__(self):
        return f"{self.propuesta_id}: {self.get_desde_display()} → {self.get_hacia_display()}"
