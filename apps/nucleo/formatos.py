"""Formatos de Chile (es-CL) para lo que lee una persona: miles con punto, decimales con coma.

Django también formatea así (``USE_THOUSAND_SEPARATOR`` y territorio/formatos/es_CL): por eso un
número que va a una URL, un atributo o un código se escribe con ``|unlocalize``. Estas funciones
agregan lo que Django no sabe: pesos, RUT, superficies con hectáreas y plurales.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.nucleo.rut import normalizar_rut

VACIO = "—"


def numero(valor, decimales: int = 0) -> str:
    """Devuelve el número con punto de miles y coma decimal («1.234,5»); «—» si no hay valor."""
    if valor is None or valor == "":
        return VACIO
    try:
        cifra = Decimal(str(valor))
    except ArithmeticError:
        return str(valor)
    texto = f"{cifra:,.{int(decimales)}f}"
    return texto.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def clp(valor) -> str:
    """Devuelve un monto en pesos chilenos («$ 150.000.000»)."""
    return VACIO if valor is None or valor == "" else f"$ {numero(valor)}"


def fecha(valor) -> str:
    """Devuelve la fecha como dd-mm-aaaa (una fecha y hora se lleva antes a la hora de Chile)."""
    if not valor:
        return VACIO
    if isinstance(valor, datetime):
        valor = timezone.localtime(valor) if timezone.is_aware(valor) else valor
        return valor.strftime("%d-%m-%Y")
    if isinstance(valor, date):
        return valor.strftime("%d-%m-%Y")
    return str(valor)


def fecha_hora(valor) -> str:
    """Devuelve la fecha y hora de Chile como «dd-mm-aaaa hh:mm»."""
    if not isinstance(valor, datetime):
        return fecha(valor)
    valor = timezone.localtime(valor) if timezone.is_aware(valor) else valor
    return valor.strftime("%d-%m-%Y %H:%M")


def rut(valor) -> str:
    """Devuelve el RUT con puntos y guion (12.345.678-5); si no es válido, tal como vino."""
    if not valor:
        return VACIO
    try:
        return normalizar_rut(str(valor))
    except ValidationError:
        return str(valor)  # un RUT histórico inválido se muestra igual, sin romper la página


def superficie(m2) -> str:
    """Devuelve una superficie en m² y, desde media hectárea, también en ha («12.500 m² (1,25 ha)»)."""
    if m2 is None or m2 == "":
        return VACIO
    m2 = float(m2)
    if m2 >= 5000:
        return f"{numero(m2)} m² ({numero(m2 / 10000, 2)} ha)"
    return f"{numero(m2, 1 if m2 < 100 else 0)} m²"


def longitud(m) -> str:
    """Devuelve una longitud en m o, desde 1 km, en km con dos decimales."""
    if m is None:
        return VACIO
    m = float(m)
    return f"{numero(m / 1000, 2)} km" if m >= 1000 else f"{numero(m)} m"


def plural(cantidad, formas: str) -> str:
    """Devuelve la cantidad con la forma que corresponde: ``plural(1, "localidad,localidades")``."""
    singular, _coma, plural_ = formas.partition(",")
    n = int(cantidad or 0)
    return f"{numero(n)} {singular if n == 1 else plural_ or singular}"
