"""Escrituras de proyectos: las únicas vías por las que páginas y API cambian un proyecto."""

from apps.nucleo.escrituras import registro_actualizar, registro_crear, registro_eliminar
from apps.proyectos.models import Proyecto


def proyecto_crear(*, datos: dict, actor, origen: str = "proyecto_crear") -> Proyecto:
    """Crea un proyecto en la comuna configurada, validado y auditado con su actor."""
    return registro_crear(Proyecto, datos=datos, actor=actor, origen=origen)


def proyecto_actualizar(
    *, instancia: Proyecto, datos: dict, version: int, actor, origen: str = "proyecto_actualizar"
) -> Proyecto:
    """Actualiza un proyecto si nadie lo cambió desde ``version`` (si no, ConflictoEdicion)."""
    return registro_actualizar(instancia, datos=datos, version=version, actor=actor, origen=origen)


def proyecto_eliminar(*, instancia: Proyecto, version: int, actor, origen: str = "proyecto_eliminar") -> None:
    """Elimina un proyecto si nadie lo cambió desde ``version``."""
    registro_eliminar(instancia, version=version, actor=actor, origen=origen)
