"""Opciones de la base territorial."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TipoLocalidad(models.TextChoices):
    """Categoría de la localidad (INE) o sector rural."""

    CAPITAL = "capital", _("capital comunal")
    PUEBLO = "pueblo", _("pueblo")
    ALDEA = "aldea", _("aldea")
    CASERIO = "caserio", _("caserío")
    SECTOR = "sector", _("sector rural")
