"""Escrituras de propuestas de uso de suelo (el flujo de aprobación llega con el análisis)."""

from apps.nucleo.escrituras import registro_actualizar, registro_crear, registro_eliminar
from apps.ordenamiento.models import PropuestaUsoSuelo

# El estado avanza por el flujo de aprobación (servicios propios), nunca desde un formulario.
_CAMPOS_DE_FLUJO = frozenset({"estado"})


def _sin_flujo(datos: dict) -> dict:
    """Rechaza que los datos cambien el estado: eso lo hacen las transiciones del flujo."""
    if _CAMPOS_DE_FLUJO & datos.keys():
        raise ValueError("El estado de una propuesta cambia por su flujo, no al editarla.")
    return datos


def propuesta_crear(*, datos: dict, actor, origen: str = "propuesta_crear") -> PropuestaUsoSuelo:
    """Crea una propuesta en borrador, validada y auditada con su actor."""
    return registro_crear(PropuestaUsoSuelo, datos=_sin_flujo(datos), actor=actor, origen=origen)


def propuesta_actualizar(
    *, instancia: PropuestaUsoSuelo, datos: dict, version: int, actor, origen: str = "propuesta_actualizar"
) -> PropuestaUsoSuelo:
    """Actualiza una propuesta si nadie la cambió desde ``version`` (si no, ConflictoEdicion)."""
    return registro_actualizar(
        instancia, datos=_sin_flujo(datos), version=version, actor=actor, origen=origen
    )


def propuesta_eliminar(
    *, instancia: PropuestaUsoSuelo, version: int, actor, origen: str = "propuesta_eliminar"
) -> None:
    """Elimina una propuesta si nadie la cambió desde ``version``."""
    registro_eliminar(instancia, version=version, actor=actor, origen=origen)
