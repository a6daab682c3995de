"""Opciones de los indicadores económicos."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicador(models.TextChoices):
    """Unidad de cuenta publicada por el Banco Central: UTM mensual, UF diaria."""

    UTM = "utm", _("UTM (unidad tributaria mensual)")
    UF = "uf", _("UF (unidad de fomento)")
