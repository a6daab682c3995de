"""Formatos de hoja de los mapas impresos (sin matplotlib: lo leen el formulario y el arranque)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Formato:
    """Tamaño de papel de la hoja (mm)."""

    nombre: str
    titulo: str
    ancho_mm: float
    alto_mm: float


FORMATOS = {
    f.nombre: f
    for f in (
        Formato("a4-horizontal", "A4 horizontal", 297.0, 210.0),
        Formato("a3-horizontal", "A3 horizontal", 420.0, 297.0),
    )
}
