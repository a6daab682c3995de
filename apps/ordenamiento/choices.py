"""Opciones del ordenamiento territorial."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Condicion(models.TextChoices):
    """Cómo admite una zona (o una restricción) un uso de suelo."""

    PERMITIDO = "permitido", _("Permitido")
    CONDICIONADO = "condicionado", _("Condicionado")
    PROHIBIDO = "prohibido", _("Prohibido")


class InstrumentoPlanificacion(models.TextChoices):
    """Instrumento de planificación territorial que fija la zonificación (LGUC, arts. 34–46)."""

    PRC = "prc", _("Plan Regulador Comunal")
    PRI = "pri", _("Plan Regulador Intercomunal")
    SECCIONAL = "seccional", _("Plan seccional")
