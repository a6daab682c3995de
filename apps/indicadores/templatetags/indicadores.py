"""Filtro de plantilla: un monto en pesos con su equivalente en UTM."""

from django import template

from apps.indicadores import formatos

register = template.Library()


@register.filter
def equivalente_utm(monto_clp, fecha=None) -> str:
    """Devuelve «≈ N UTM (UTM de mm-aaaa: $ V)» o «—» (ver apps/indicadores/formatos.py)."""
    return formatos.equivalente_utm(monto_clp, fecha)
