"""Lectura de vuelta de las hojas impresas: texto del PDF, página renderizada y colores esperados."""

import numpy as np
import pypdfium2 as pdfium


def texto_pdf(contenido: bytes) -> str:
    """Devuelve el texto extraído de todas las páginas del PDF."""
    documento = pdfium.PdfDocument(contenido)
    return "\n".join(documento[i].get_textpage().get_text_range() for i in range(len(documento)))


def pagina_como_imagen(contenido: bytes, escala: float = 150 / 72) -> np.ndarray:
    """Devuelve la primera página del PDF renderizada (RGB) como arreglo."""
    documento = pdfium.PdfDocument(contenido)
    return np.asarray(documento[0].render(scale=escala).to_pil().convert("RGB"))


def color_mezclado(simbolo) -> np.ndarray:
    """Devuelve el RGB del relleno del símbolo con su opacidad sobre papel blanco."""
    h = simbolo.relleno.lstrip("#")
    rgb = np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)
    return simbolo.opacidad * rgb + (1 - simbolo.opacidad) * 255
