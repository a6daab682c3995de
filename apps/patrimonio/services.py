"""Escrituras del patrimonio municipal: inmuebles, activos y concesiones."""

from apps.nucleo.escrituras import registro_actualizar, registro_crear, registro_eliminar
from apps.patrimonio.models import Activo, BienInmueble, Concesion


def bien_inmueble_crear(*, datos: dict, actor, origen: str = "bien_inmueble_crear") -> BienInmueble:
    """Crea un bien inmueble en la comuna configurada, validado y auditado con su actor."""
    return registro_crear(BienInmueble, datos=datos, actor=actor, origen=origen)


def bien_inmueble_actualizar(
    *, instancia: BienInmueble, datos: dict, version: int, actor, origen: str = "bien_inmueble_actualizar"
) -> BienInmueble:
    """Actualiza un bien inmueble si nadie lo cambió desde ``version``."""
    return registro_actualizar(instancia, datos=datos, version=version, actor=actor, origen=origen)


def bien_inmueble_eliminar(
    *, instancia: BienInmueble, version: int, actor, origen: str = "bien_inmueble_eliminar"
) -> None:
    """Elimina un bien inmueble sin activos, si nadie lo cambió desde ``version``."""
    registro_eliminar(instancia, version=version, actor=actor, origen=origen)


def activo_crear(*, datos: dict, actor, origen: str = "activo_crear") -> Activo:
    """Crea un activo sobre un inmueble, validado y auditado con su actor."""
    return registro_crear(Activo, datos=datos, actor=actor, origen=origen)


def activo_actualizar(
    *, instancia: Activo, datos: dict, version: int, actor, origen: str = "activo_actualizar"
) -> Activo:
    """Actualiza un activo si nadie lo cambió desde ``version``."""
    return registro_actualizar(instancia, datos=datos, version=version, actor=actor, origen=origen)


def activo_eliminar(*, instancia: Activo, version: int, actor, origen: str = "activo_eliminar") -> None:
    """Elimina un activo sin concesiones, si nadie lo cambió desde ``version``."""
    registro_eliminar(instancia, version=version, actor=actor, origen=origen)


def concesion_crear(*, datos: dict, actor, origen: str = "concesion_crear") -> Concesion:
    """Otorga una concesión (arriendo, comodato…) sobre un activo, sin superponerse a otra vigente."""
    return registro_crear(Concesion, datos=datos, actor=actor, origen=origen)


def concesion_actualizar(
    *, instancia: Concesion, datos: dict, version: int, actor, origen: str = "concesion_actualizar"
) -> Concesion:
    """Actualiza una concesión si nadie la cambió desde ``version``."""
    return registro_actualizar(instancia, datos=datos, version=version, actor=actor, origen=origen)


def concesion_eliminar(
    *, instancia: Concesion, version: int, actor, origen: str = "concesion_eliminar"
) -> None:
    """Elimina una concesión si nadie la cambió desde ``version``."""
    registro_eliminar(instancia, version=version, actor=actor, origen=origen)
