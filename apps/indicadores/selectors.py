"""Lecturas de la UTM y la UF: el valor que regía en una fecha y la conversión de montos."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from apps.indicadores.choices import Indicador
from apps.indicadores.models import ValorIndicador


def valor_vigente(indicador: str, *, fecha: date | None = None) -> ValorIndicador | None:
    """Devuelve el valor que regía en ``fecha`` (hoy en Chile si no se da): el último publicado hasta ahí."""
    fecha = fecha or timezone.localdate()
    return ValorIndicador.objects.filter(indicador=indicador, fecha__lte=fecha).order_by("-fecha").first()


def en_utm(monto_clp, *, fecha: date | None = None) -> tuple[Decimal, ValorIndicador] | None:
    """Devuelve el monto en UTM (dos decimales) y la UTM usada, o None si no hay UTM cargada."""
    if monto_clp is None:
        return None
    utm = valor_vigente(Indicador.UTM, fecha=fecha)
    if utm is None:
        return None
    return (Decimal(monto_clp) / utm.valor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), utm


def utm_a_clp(cantidad_utm, *, fecha: date | None = None) -> tuple[int, ValorIndicador] | None:
    """Devuelve en pesos enteros una regla fijada en UTM y la UTM usada, o None si no hay UTM cargada."""
    utm = valor_vigente(Indicador.UTM, fecha=fecha)
    if utm is None:
        return None
    return int((Decimal(cantidad_utm) * utm.valor).quantize(Decimal("1"), rounding=ROUND_HALF_UP)), utm
