"""Formulario del estilo de una capa de referencia."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

_HEX = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use un color hexadecimal #rrggbb."))


class EstiloForm(forms.Form):
    """Relleno, borde, ancho y opacidad de una capa importada (se valida aquí y en la base)."""

    relleno = forms.CharField(
        label=_("Color de relleno"), validators=[_HEX], widget=forms.TextInput(attrs={"type": "color"})
    )
    borde = forms.CharField(
        label=_("Color de borde"), validators=[_HEX], widget=forms.TextInput(attrs={"type": "color"})
    )
    ancho = forms.FloatField(label=_("Ancho del borde (px)"), min_value=0, max_value=20)
    opacidad = forms.FloatField(
        label=_("Opacidad del relleno (0 a 1)"),
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
