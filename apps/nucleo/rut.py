"""RUT chileno: validación del dígito verificador y formato canónico (python-stdnum)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cl import rut
from stdnum.exceptions import ValidationError as ErrorStdnum


def normalizar_rut(valor: str) -> str:
    """Devuelve el RUT con puntos y guion (12.345.678-5) o lanza ValidationError en español."""
    try:
        return rut.format(rut.validate(valor))
    except ErrorStdnum:
        raise ValidationError(
            _("«%(valor)s» no es un RUT válido: revise el dígito verificador.") % {"valor": valor},
            code="rut_invalido",
        )


def validar_rut(valor: str) -> None:
    """Valida un RUT (validador de campo)."""
    normalizar_rut(valor)
