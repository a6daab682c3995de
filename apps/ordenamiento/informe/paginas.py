"""Páginas A4 verticales de tablas con la tipografía, el marco, la cabecera y el pie de la hoja impresa.

Todo en milímetros de papel sobre una figura de matplotlib (como ``capas.mapas.cartela``): una tabla
corta sus celdas al ancho de su columna y sigue en otra página (con su encabezado) si no cabe.
"""

import textwrap
from datetime import datetime

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.transforms import Affine2D

from capas.mapas import cartela, impresion

ANCHO, ALTO = 210.0, 297.0  # A4 vertical (mm)
M, SEP, CABECERA, PIE = impresion.MARGEN, impresion.SEP, impresion.CABECERA, 12.0
X0, X1 = M + SEP, ANCHO - M - SEP
ARRIBA, ABAJO = ALTO - M - CABECERA - SEP, M + PIE + SEP
MM_PT = 25.4 / 72  # un punto tipográfico en mm
LETRA, LETRA_CHICA = 7.5, 6.5
# Ancho medio de un carácter de DejaVu Sans en em: para cortar líneas según el ancho de la columna.
EM_CARACTER = 0.56
COLOR_LINEA, COLOR_FONDO = "#b0b7bb", "#eef2f3"


class Paginas:
    """Páginas A4 verticales de tablas con marco, cabecera y pie; abre otra cuando no cabe una fila."""

    def __init__(self, *, titulo: str, autor: str, fecha: datetime):
        self.titulo, self.autor, self.fecha = titulo, autor, fecha
        self.figuras: list[Figure] = []
        self.nueva()

    def nueva(self) -> None:
        """Abre una página con su marco, la cabecera con el título y el pie con fecha y autor."""
        figura = Figure(figsize=(ANCHO / 25.4, ALTO / 25.4), facecolor="white")
        self.mm = Affine2D().scale(1 / 25.4) + figura.dpi_scale_trans
        self.figura = figura
        self.figuras.append(figura)
        figura.add_artist(
            Rectangle((M, M), ANCHO - 2 * M, ALTO - 2 * M, transform=self.mm, fill=False, lw=1.0)
        )
        for y in (ALTO - M - CABECERA, M + PIE):
            figura.add_artist(
                Line2D([M, ANCHO - M], [y, y], transform=self.mm, lw=0.6, color=cartela.COLOR_TEXTO)
            )
        lineas = textwrap.wrap(self.titulo, 62)
        if len(lineas) > 2:
            lineas = [lineas[0], textwrap.shorten(" ".join(lineas[1:]), 60, placeholder="…")]
        self.texto(
            X0,
            ALTO - M - CABECERA / 2,
            "\n".join(lineas),
            fontsize=12 if len(lineas) == 1 else 10,
            fontweight="bold",
            va="center",
        )
        self.texto(
            X1,
            ALTO - M - CABECERA / 2,
            "Territorio\nSECPLAC",
            fontsize=7.5,
            color=cartela.COLOR_SUAVE,
            ha="right",
            va="center",
            linespacing=1.3,
        )
        self.texto(
            X0,
            M + PIE / 2,
            f"Impreso el {cartela.fecha_es(self.fecha)} por {self.autor}",
            fontsize=7.5,
            va="center",
        )
        self.y = ARRIBA

    def numerar(self, figura: Figure, numero: int, total: int) -> None:
        """Escribe «Página n de N» en el pie de una página ya compuesta."""
        mm = Affine2D().scale(1 / 25.4) + figura.dpi_scale_trans
        cartela.texto(
            figura,
            mm,
            X1,
            M + PIE / 2,
            f"Página {numero} de {total}",
            fontsize=7.5,
            ha="right",
            va="center",
            color=cartela.COLOR_SUAVE,
        )

    def texto(self, x: float, y: float, contenido: str, **opciones):
        """Escribe en la página actual (coordenadas en mm)."""
        return cartela.texto(self.figura, self.mm, x, y, contenido, **opciones)

    def reservar(self, alto: float) -> None:
        """Pasa a una página nueva si ``alto`` mm no caben en lo que queda de esta."""
        if self.y - alto < ABAJO:
            self.nueva()

    def seccion(self, titulo: str, alto_siguiente: float = 12.0) -> None:
        """Escribe el título de una sección (y no lo deja solo al pie de la página)."""
        self.reservar(7 + alto_siguiente)
        self.y -= 2
        self.texto(X0, self.y, titulo, fontsize=10, fontweight="bold", va="top")
        self.y -= 6

    def parrafo(self, contenido: str, *, tamano: float = LETRA, color: str = cartela.COLOR_TEXTO) -> None:
        """Escribe un párrafo que ocupa el ancho de la página."""
        lineas = cortar(contenido, X1 - X0, tamano)
        alto = len(lineas) * tamano * 1.3 * MM_PT + 1.5
        self.reservar(alto)
        self.texto(X0, self.y, "\n".join(lineas), fontsize=tamano, color=color, va="top", linespacing=1.3)
        self.y -= alto

    def tabla(self, columnas: list[tuple[str, float, str]], filas: list[dict]) -> None:
        """Dibuja una tabla: columnas (encabezado, ancho relativo, «l»/«r») y filas con celdas y estilo.

        Cada fila: ``celdas`` (textos), y opcionalmente ``colores`` (por celda), ``sangria`` (mm de la
        primera celda), ``chica`` (letra menor, para las filas de detalle) y ``negrita``.
        """
        total = sum(c[1] for c in columnas)
        anchos = [(X1 - X0) * c[1] / total for c in columnas]
        bordes = [X0 + sum(anchos[:i]) for i in range(len(anchos))]

        def encabezado():
            alto = LETRA * 1.3 * MM_PT + 2.4
            self.figura.add_artist(
                Rectangle(
                    (X0, self.y - alto),
                    X1 - X0,
                    alto,
                    transform=self.mm,
                    facecolor=COLOR_FONDO,
                    edgecolor="none",
                )
            )
            for (nombre, _a, alineacion), x, ancho in zip(columnas, bordes, anchos, strict=True):
                self._celda(x, ancho, alineacion, [nombre], LETRA, fontweight="bold")
            self.y -= alto

        self.reservar(2 * (LETRA * 1.3 * MM_PT + 2.4))
        encabezado()
        for fila in filas:
            tamano = LETRA_CHICA if fila.get("chica") else LETRA
            sangria = fila.get("sangria", 0.0)
            partidas = [
                cortar(texto, ancho - 2 - (sangria if i == 0 else 0), tamano)
                for i, (texto, ancho) in enumerate(zip(fila["celdas"], anchos, strict=True))
            ]
            alto = max(len(p) for p in partidas) * tamano * 1.3 * MM_PT + 2.0
            if self.y - alto < ABAJO:
                self.nueva()
                encabezado()
            colores = fila.get("colores") or [None] * len(columnas)
            for i, ((_n, _a, alineacion), x, ancho, lineas) in enumerate(
                zip(columnas, bordes, anchos, partidas, strict=True)
            ):
                extra = {"fontweight": "bold"} if fila.get("negrita") or colores[i] else {}
                self._celda(
                    x + (sangria if i == 0 else 0),
                    ancho,
                    alineacion,
                    lineas,
                    tamano,
                    color=colores[i] or cartela.COLOR_TEXTO,
                    **extra,
                )
            self.y -= alto
            self.figura.add_artist(
                Line2D([X0, X1], [self.y, self.y], transform=self.mm, lw=0.3, color=COLOR_LINEA)
            )
        self.y -= 3

    def _celda(self, x, ancho, alineacion, lineas, tamano, **opciones):
        """Escribe una celda (varias líneas) alineada a la izquierda o a la derecha."""
        xt = x + ancho - 1 if alineacion == "r" else x + 1
        self.texto(
            xt,
            self.y - 1.0,
            "\n".join(lineas),
            fontsize=tamano,
            va="top",
            linespacing=1.3,
            ha="right" if alineacion == "r" else "left",
            **opciones,
        )

    def recuadro(self, titulo: str, texto_: str, color: str) -> None:
        """Dibuja el veredicto destacado: un recuadro con borde del color de la condición."""
        lineas = cortar(texto_, X1 - X0 - 8, 9)
        alto = 8 + len(lineas) * 9 * 1.3 * MM_PT + 3
        self.reservar(alto + 2)
        self.figura.add_artist(
            FancyBboxPatch(
                (X0, self.y - alto),
                X1 - X0,
                alto,
                transform=self.mm,
                boxstyle="round,pad=0,rounding_size=1.5",
                facecolor="white",
                edgecolor=color,
                lw=1.6,
            )
        )
        self.texto(
            X0 + 4, self.y - 3, f"Veredicto: {titulo}", fontsize=11, fontweight="bold", color=color, va="top"
        )
        self.texto(X0 + 4, self.y - 9, "\n".join(lineas), fontsize=9, va="top", linespacing=1.3)
        self.y -= alto + 4


def cortar(texto: str, ancho_mm: float, tamano: float) -> list[str]:
    """Devuelve el texto cortado en líneas que caben en ``ancho_mm`` con letra de ``tamano`` pt."""
    por_linea = max(4, int(ancho_mm / (tamano * EM_CARACTER * MM_PT)))
    return textwrap.wrap(str(texto), por_linea, break_long_words=True) or [""]
