"""Escrituras de propuestas de uso de suelo: crear, editar y eliminar (el estado, en flujo.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.nucleo.escrituras import registro_actualizar, registro_bloquear, registro_crear, registro_eliminar
from apps.ordenamiento.models import PropuestaUsoSuelo

# El estado avanza por el flujo de aprobación (apps/ordenamiento/flujo.py), nunca desde un formulario.
_CAMPOS_DE_FLUJO = frozenset({"estado"})


def _sin_flujo(datos: dict) -> dict:
    """Rechaza que los datos cambien el estado: eso lo hacen las transiciones del flujo."""
    if _CAMPOS_DE_FLUJO & datos.keys():
        raise ValueError("El estado de una propuesta cambia por su flujo, no al editarla.")
    return datos


def _exigir_borrador(propuesta: PropuestaUsoSuelo, accion: str) -> None:
    """Lanza ValidationError si la propuesta ya salió de borrador (lo enviado queda como se envió)."""
    if not propuesta.editable:
        raise ValidationError(
            f"La propuesta está «{propuesta.get_estado_display()}»: solo se puede {accion} en borrador. "
            "Si debe corregirse, el Director puede devolverla a borrador mientras está en revisión.",
            code="fuera_de_borrador",
        )


def propuesta_crear(*, datos: dict, actor, origen: str = "propuesta_crear") -> PropuestaUsoSuelo:
    """Crea una propuesta en borrador, validada y auditada con su actor."""
    return registro_crear(PropuestaUsoSuelo, datos=_sin_flujo(datos), actor=actor, origen=origen)


@transaction.atomic
def propuesta_actualizar(
    *, instancia: PropuestaUsoSuelo, datos: dict, version: int, actor, origen: str = "propuesta_actualizar"
) -> PropuestaUsoSuelo:
    """Actualiza una propuesta en borrador si nadie la cambió desde ``version`` (si no, ConflictoEdicion)."""
    datos = _sin_flujo(datos)
    actual = registro_bloquear(instancia, version=version)
    _exigir_borrador(actual, "editar")
    return registro_actualizar(actual, datos=datos, version=version, actor=actor, origen=origen)


@transaction.atomic
def propuesta_eliminar(
    *, instancia: PropuestaUsoSuelo, version: int, actor, origen: str = "propuesta_eliminar"
) -> None:
    """Elimina una propuesta en borrador si nadie la cambió desde ``version``."""
    actual = PropuestaUsoSuelo.objects.select_for_update().filter(pk=instancia.pk).first()
    if actual is not None and actual.version == int(version):
        _exigir_borrador(actual, "eliminar")
    registro_eliminar(instancia, version=version, actor=actor, origen=origen)
