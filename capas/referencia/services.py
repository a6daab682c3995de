"""Escrituras del estilo de una capa de referencia importada."""

from django.db import transaction

from capas.auditoria import contexto_auditoria
from capas.models import CapaReferencia

CAMPOS_ESTILO = ("relleno", "borde", "ancho", "opacidad")


@transaction.atomic
def capa_referencia_estilo_cambiar(
    *, capa: CapaReferencia, relleno: str, borde: str, ancho: float, opacidad: float, actor
) -> CapaReferencia:
    """Guarda el estilo propio de la capa (queda en su historial con quién lo cambió)."""
    capa.relleno, capa.borde, capa.ancho, capa.opacidad = relleno.lower(), borde.lower(), ancho, opacidad
    # Solo lo del estilo: otros campos de una capa importada (p. ej. sin atributos) no se validan aquí.
    otros = [campo.name for campo in capa._meta.fields if campo.name not in CAMPOS_ESTILO]
    capa.full_clean(exclude=otros, validate_unique=False)
    with contexto_auditoria(actor=actor, origen="capa_referencia_estilo_cambiar"):
        capa.save(update_fields=CAMPOS_ESTILO)
    return capa


@transaction.atomic
def capa_referencia_estilo_restaurar(*, capa: CapaReferencia, actor) -> CapaReferencia:
    """Quita el estilo propio: la capa vuelve al de su categoría."""
    capa.relleno, capa.borde, capa.ancho, capa.opacidad = "", "", None, None
    with contexto_auditoria(actor=actor, origen="capa_referencia_estilo_restaurar"):
        capa.save(update_fields=CAMPOS_ESTILO)
    return capa
