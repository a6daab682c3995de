"""Hoja impresa de un mapa: marco, título, leyenda, escala gráfica y numérica, norte y pie (PDF y PNG).

Compone la hoja alrededor del mapa que dibuja ``capas.mapas.dibujo`` (todo en milímetros de papel):
cabecera con el título, mapa a escala redonda a la izquierda, panel con la leyenda (solo lo que
aparece en la vista), la flecha norte (girada al norte verdadero), la escala y la proyección a la
derecha, y un pie con fecha, autor y el enlace a la vista (texto que se imprime, nunca se pide).
"""

import logging
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D

from capas.mapas import cartela, dibujo
from capas.mapas.formatos import FORMATOS
from capas.registro import Capa

# fontTools anota cada glifo al incrustar la letra en el PDF: ruido en el registro del trabajo.
logging.getLogger("fontTools").setLevel(logging.WARNING)

# Medidas de la hoja (mm): margen exterior, cabecera, pie, ancho del panel lateral, separación.
MARGEN, CABECERA, PIE, PANEL, SEP = 8.0, 15.0, 17.0, 64.0, 4.0
# Alto reservado al pie del panel para norte, escalas y proyección.
BLOQUE_ESCALA = 44.0
# Mapa de ubicación (la comuna y el recuadro del mapa) cuando el mapa no la muestra entera.
ALTO_UBICACION = 32.0
# Texto incrustado como TrueType (no Type 3): el PDF se puede buscar y copiar.
RC_HOJA = {"pdf.fonttype": 42, "font.family": "DejaVu Sans", "svg.fonttype": "none"}
PPP_PNG = 150


@dataclass(frozen=True)
class Hoja:
    """Lo que se imprime: título, vista (bbox lon/lat y capas de arriba abajo), autor, fecha y enlace."""

    titulo: str
    bbox: tuple[float, float, float, float]
    capas: tuple[Capa, ...]
    autor: str
    fecha: datetime
    permalink: str = ""
    formato: str = "a4-horizontal"
    # capa -> (sql_donde, parámetros): los filtros del visor (capas.filtros.condicion).
    condiciones: Callable | None = None


@dataclass
class HojaCompuesta:
    """La figura lista para guardar, su marco (escala, SRID) y lo dibujado por capa."""

    figura: Figure
    marco: dibujo.Marco
    dibujadas: list


def hoja_componer(hoja: Hoja) -> HojaCompuesta:
    """Compone la hoja (figura de matplotlib) con el mapa dibujado desde las capas del registro."""
    formato = FORMATOS[hoja.formato]
    ancho, alto = formato.ancho_mm, formato.alto_mm
    figura = Figure(figsize=(ancho / dibujo.MM_POR_PULGADA, alto / dibujo.MM_POR_PULGADA), facecolor="white")
    mm = Affine2D().scale(1 / dibujo.MM_POR_PULGADA) + figura.dpi_scale_trans

    limite = dibujo.limite_comuna()
    x0, y0 = MARGEN + SEP, MARGEN + PIE + SEP
    x1, y1 = ancho - MARGEN - PANEL, alto - MARGEN - CABECERA - SEP
    marco = dibujo.marco_para(
        hoja.bbox, srid=dibujo.srid_del_mapa(hoja.bbox, limite), ancho_mm=x1 - x0, alto_mm=y1 - y0
    )
    ejes = figura.add_axes((x0 / ancho, y0 / alto, (x1 - x0) / ancho, (y1 - y0) / alto))
    for borde in ejes.spines.values():
        borde.set_linewidth(0.9)
        borde.set_zorder(100)
    dibujadas = dibujo.capas_dibujar(ejes, list(hoja.capas), marco, condiciones=hoja.condiciones)
    cartela.coordenadas(ejes, marco)

    # Marco de la hoja, cabecera y pie.
    figura.add_artist(
        Rectangle((MARGEN, MARGEN), ancho - 2 * MARGEN, alto - 2 * MARGEN, transform=mm, fill=False, lw=1.0)
    )
    for y in (alto - MARGEN - CABECERA, MARGEN + PIE):
        figura.add_artist(
            Line2D([MARGEN, ancho - MARGEN], [y, y], transform=mm, lw=0.6, color=cartela.COLOR_TEXTO)
        )
    _cabecera(figura, mm, hoja, ancho, alto)
    _pie(figura, mm, hoja, ancho)
    px0, px1 = x1 + SEP + 1, ancho - MARGEN - SEP
    abajo_leyenda = y0 + BLOQUE_ESCALA + SEP
    if cartela.ubicacion(figura, marco, limite, (px0, abajo_leyenda, px1 - px0, ALTO_UBICACION), ancho, alto):
        abajo_leyenda += ALTO_UBICACION + 8
    cartela.leyenda(figura, mm, dibujadas, px0, px1, abajo_leyenda, y1)
    cartela.escalas(figura, mm, marco, px0, px1, y0)
    return HojaCompuesta(figura, marco, dibujadas)


def hoja_guardar(compuesta: HojaCompuesta, hoja: Hoja, *, pdf, png) -> None:
    """Guarda la hoja como PDF (vectorial, texto buscable, con metadatos) y como PNG a ``PPP_PNG``."""
    metadatos = {
        "Title": hoja.titulo,
        "Author": hoja.autor,
        "Subject": f"Mapa a escala 1:{compuesta.marco.escala} (EPSG:{compuesta.marco.srid})",
        "Creator": "Territorio",
        "CreationDate": hoja.fecha,
    }
    with matplotlib.rc_context(RC_HOJA):
        compuesta.figura.savefig(pdf, format="pdf", dpi=compuesta.marco.ppp, metadata=metadatos)
        compuesta.figura.savefig(png, format="png", dpi=PPP_PNG, metadata={"Title": hoja.titulo})


def _cabecera(figura, mm, hoja: Hoja, ancho: float, alto: float) -> None:
    """Escribe el título (en dos líneas si es largo) y la firma del sistema."""
    medio = alto - MARGEN - CABECERA / 2
    lineas = textwrap.wrap(hoja.titulo, 80)
    tamano = 15 if len(lineas) == 1 else 11
    if len(lineas) > 2:
        lineas = [lineas[0], textwrap.shorten(" ".join(lineas[1:]), 78, placeholder="…")]
    cartela.texto(
        figura, mm, MARGEN + SEP, medio, "\n".join(lineas), fontsize=tamano, fontweight="bold", va="center"
    )
    cartela.texto(
        figura,
        mm,
        ancho - MARGEN - SEP,
        medio,
        "Territorio\nSECPLAC",
        fontsize=7.5,
        color=cartela.COLOR_SUAVE,
        ha="right",
        va="center",
        linespacing=1.3,
    )


def _pie(figura, mm, hoja: Hoja, ancho: float) -> None:
    """Escribe fecha, autor, fuente y el enlace a la vista (texto; en el PDF es además un vínculo)."""
    arriba = MARGEN + PIE - 3.5
    cartela.texto(
        figura,
        mm,
        MARGEN + SEP,
        arriba,
        f"Impreso el {cartela.fecha_es(hoja.fecha)} por {hoja.autor}",
        fontsize=7.5,
        va="center",
    )
    cartela.texto(
        figura,
        mm,
        ancho - MARGEN - SEP,
        arriba,
        "Datos: registro de capas de Territorio · sin mapa base",
        fontsize=6.5,
        color=cartela.COLOR_SUAVE,
        ha="right",
        va="center",
    )
    if not hoja.permalink:
        return
    # Monoespaciada de 6 pt: ~1,27 mm por carácter; tres líneas como máximo.
    por_linea = int((ancho - 2 * (MARGEN + SEP) - 14) / 1.27)
    trozos = [hoja.permalink[i : i + por_linea] for i in range(0, len(hoja.permalink), por_linea)][:3]
    cartela.texto(
        figura, mm, MARGEN + SEP, arriba - 4.2, "Vista:", fontsize=6.5, va="top", color=cartela.COLOR_SUAVE
    )
    enlace = cartela.texto(
        figura,
        mm,
        MARGEN + SEP + 10,
        arriba - 4.2,
        "\n".join(trozos),
        fontsize=6,
        fontfamily="DejaVu Sans Mono",
        va="top",
        linespacing=1.25,
    )
    if hoja.permalink.startswith(("http://", "https://")):
        enlace.set_url(hoja.permalink)
