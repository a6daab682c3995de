"""Un monto en pesos con su equivalente en UTM, como lo lee una persona («≈ 2.224,6 UTM …»)."""

from apps.indicadores.selectors import en_utm
from apps.nucleo.formatos import VACIO, numero


def equivalente_utm(monto_clp, fecha=None) -> str:
    """Devuelve «≈ N UTM (UTM de mm-aaaa: $ V)» o «—» si no hay monto o no hay UTM cargada."""
    resultado = en_utm(monto_clp, fecha=fecha)
    if resultado is None:
        return VACIO
    cantidad, utm = resultado
    return f"≈ {numero(cantidad, 1)} UTM (UTM de {utm.fecha:%m-%Y}: $ {numero(utm.valor)})"
