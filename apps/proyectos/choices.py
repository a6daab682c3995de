"""Opciones del dominio de inversión (SNI, Subtítulo 31, fuentes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tipologia(models.TextChoices):
    """Tipología de la iniciativa (Subtítulo 31, ítems 01/02/03)."""

    ESTUDIO_BASICO = "estudio_basico", _("Estudio básico (31.01)")
    PROYECTO = "proyecto", _("Proyecto (31.02)")
    PROGRAMA = "programa", _("Programa (31.03)")


class Etapa(models.TextChoices):
    """Etapa del ciclo de vida de la inversión."""

    IDEA = "idea", _("Idea")
    PERFIL = "perfil", _("Perfil")
    PREFACTIBILIDAD = "prefactibilidad", _("Prefactibilidad")
    FACTIBILIDAD = "factibilidad", _("Factibilidad")
    DISENO = "diseno", _("Diseño")
    EJECUCION = "ejecucion", _("Ejecución")
    OPERACION = "operacion", _("Operación")


class Institucion(models.TextChoices):
    """Tipo de institución que impulsa la iniciativa."""

    MUNICIPAL = "municipal", _("Municipal")
    SERVICIO_PUBLICO = "servicio_publico", _("Servicio público")
    PRIVADO = "privado", _("Privado")


class TipoFuente(models.TextChoices):
    """Naturaleza de la fuente de financiamiento."""

    REGIONAL = "regional", _("Regional (GORE)")
    SUBDERE = "subdere", _("SUBDERE")
    SECTORIAL = "sectorial", _("Sectorial")
    MUNICIPAL = "municipal", _("Municipal")
    PRIVADO = "privado", _("Privado")
