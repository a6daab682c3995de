"""Campos de formulario con los formatos de Chile: montos «150.000.000» y fechas dd-mm-aaaa."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

FORMATOS_FECHA = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]
_RE_MONTO = re.compile(r"^\$?\s*-?\d{1,3}(\.\d{3})*$|^\$?\s*-?\d+$")


class CampoMontoCLP(forms.IntegerField):
    """Monto en pesos enteros: acepta «150.000.000», «$ 150.000.000» y «150000000»."""

    default_error_messages = {
        "invalid": _(
            "Escriba el monto en pesos enteros, con o sin puntos de miles (p. ej. 150.000.000), "
            "sin decimales."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        """Quita el signo $, los espacios y los puntos de miles antes de convertir."""
        if isinstance(value, str):
            texto = value.strip().replace("\u00a0", " ")
            if texto and not _RE_MONTO.match(texto):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = texto.replace("$", "").replace(".", "").replace(" ", "")
        return super().to_python(value)

    def prepare_value(self, value):
        """Muestra el monto guardado con puntos de miles."""
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", ".")
        return value


class CampoFecha(forms.DateField):
    """Fecha que se escribe dd-mm-aaaa (también dd/mm/aaaa o aaaa-mm-dd) y se muestra dd-mm-aaaa."""

    input_formats = FORMATOS_FECHA
    default_error_messages = {"invalid": _("Escriba la fecha como dd-mm-aaaa (p. ej. 31-12-2026).")}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.DateInput(format="%d-%m-%Y", attrs={"placeholder": "dd-mm-aaaa", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)
