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
from django.contrib.gis.gdal import SpatialReference
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon as PoligonoMpl
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D

from capas.geometria import tipo_simple
from capas.mapas import dibujo
from capas.mapas.formatos import FORMATOS
from capas.registro import Capa

# fontTools anota cada glifo al incrustar la letra en el PDF: ruido en el registro del trabajo.
logging.getLogger("fontTools").setLevel(logging.WARNING)

MESES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
# Medidas de la hoja (mm): margen exterior, cabecera, pie, ancho del panel lateral, separación.
MARGEN, CABECERA, PIE, PANEL, SEP = 8.0, 15.0, 17.0, 64.0, 4.0
# Alto reservado al pie del panel para norte, escalas y proyección.
BLOQUE_ESCALA = 44.0
COLOR_TEXTO, COLOR_SUAVE = "#1b1b1b", "#5a5a5a"
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


def numero_es(valor: float, decimales: int = 0) -> str:
    """Devuelve el número con el formato de Chile: miles con punto y decimales con coma (1.234,5)."""
    texto = f"{valor:,.{decimales}f}"
    return texto.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def distancia_es(metros: float) -> str:
    """Devuelve una distancia legible: «500 m», «1 km», «2,5 km»."""
    if metros >= 1000:
        km = metros / 1000
        return f"{numero_es(km, 0 if km == int(km) else 1)} km"
    return f"{numero_es(metros)} m"


def nombre_srs(srid: int) -> str:
    """Devuelve el nombre del sistema de coordenadas (p. ej. «SIRGAS-Chile 2002 / UTM zone 18S»)."""
    return SpatialReference(srid).name


def fecha_es(fecha: datetime) -> str:
    """Devuelve «1 de diciembre de 2026, 09:05»."""
    return f"{fecha.day} de {MESES[fecha.month - 1]} de {fecha.year}, {fecha:%H:%M}"


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
    ejes.set_xticks([])
    ejes.set_yticks([])
    for borde in ejes.spines.values():
        borde.set_linewidth(0.9)
        borde.set_zorder(100)
    dibujadas = dibujo.capas_dibujar(ejes, list(hoja.capas), marco, condiciones=hoja.condiciones)

    # Marco de la hoja, cabecera y pie.
    figura.add_artist(
        Rectangle((MARGEN, MARGEN), ancho - 2 * MARGEN, alto - 2 * MARGEN, transform=mm, fill=False, lw=1.0)
    )
    for y in (alto - MARGEN - CABECERA, MARGEN + PIE):
        figura.add_artist(Line2D([MARGEN, ancho - MARGEN], [y, y], transform=mm, lw=0.6, color=COLOR_TEXTO))
    _cabecera(figura, mm, hoja, ancho, alto)
    _pie(figura, mm, hoja, ancho)
    px0, px1 = x1 + SEP + 1, ancho - MARGEN - SEP
    _leyenda(figura, mm, dibujadas, px0, px1, y0 + BLOQUE_ESCALA + SEP, y1)
    _escalas(figura, mm, marco, px0, px1, y0)
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


def _texto(figura, mm, x, y, texto, **opciones):
    """Escribe texto en coordenadas de la hoja (mm) con la tipografía de la hoja."""
    opciones.setdefault("color", COLOR_TEXTO)
    opciones.setdefault("fontfamily", "DejaVu Sans")
    opciones.setdefault("transform", mm)
    return figura.text(x, y, texto, **opciones)


def _cabecera(figura, mm, hoja: Hoja, ancho: float, alto: float) -> None:
    """Escribe el título (en dos líneas si es largo) y la firma del sistema."""
    medio = alto - MARGEN - CABECERA / 2
    lineas = textwrap.wrap(hoja.titulo, 80)
    tamano = 15 if len(lineas) == 1 else 11
    if len(lineas) > 2:
        lineas = [lineas[0], textwrap.shorten(" ".join(lineas[1:]), 78, placeholder="…")]
    _texto(
        figura, mm, MARGEN + SEP, medio, "\n".join(lineas), fontsize=tamano, fontweight="bold", va="center"
    )
    _texto(
        figura,
        mm,
        ancho - MARGEN - SEP,
        medio,
        "Territorio\nSECPLAC",
        fontsize=7.5,
        color=COLOR_SUAVE,
        ha="right",
        va="center",
        linespacing=1.3,
    )


def _pie(figura, mm, hoja: Hoja, ancho: float) -> None:
    """Escribe fecha, autor, fuente y el enlace a la vista (texto; en el PDF es además un vínculo)."""
    arriba = MARGEN + PIE - 3.5
    _texto(
        figura,
        mm,
        MARGEN + SEP,
        arriba,
        f"Impreso el {fecha_es(hoja.fecha)} por {hoja.autor}",
        fontsize=7.5,
        va="center",
    )
    _texto(
        figura,
        mm,
        ancho - MARGEN - SEP,
        arriba,
        "Datos: registro de capas de Territorio · sin mapa base",
        fontsize=6.5,
        color=COLOR_SUAVE,
        ha="right",
        va="center",
    )
    if not hoja.permalink:
        return
    # Monoespaciada de 6 pt: ~1,27 mm por carácter; tres líneas como máximo.
    por_linea = int((ancho - 2 * (MARGEN + SEP) - 14) / 1.27)
    trozos = [hoja.permalink[i : i + por_linea] for i in range(0, len(hoja.permalink), por_linea)][:3]
    _texto(figura, mm, MARGEN + SEP, arriba - 4.2, "Vista:", fontsize=6.5, va="top", color=COLOR_SUAVE)
    enlace = _texto(
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


def _entradas_leyenda(dibujadas) -> list[tuple]:
    """Devuelve las filas de la leyenda: (clase, texto, símbolo, tipo de geometría)."""
    filas = []
    for d in dibujadas:
        capa, estilo = d.capa, d.capa.estilo
        tipo = tipo_simple(capa.tipo_geometria)
        if not estilo.categorias:
            filas.append(("capa", capa.titulo, estilo.simbolo, tipo))
        else:
            filas.append(("titulo", capa.titulo, None, tipo))
            filas.extend(
                ("entrada", c.etiqueta, c.simbolo, tipo) for c in estilo.categorias if c.valor in d.categorias
            )
            if d.sin_categoria:
                filas.append(("entrada", "Otros valores", estilo.simbolo, tipo))
        if d.elementos == 0:
            filas.append(("nota", "Sin elementos en esta vista", None, tipo))
        filas.append(("espacio", "", None, tipo))
    return filas[:-1]


ALTOS = {"capa": 5.2, "titulo": 5.0, "entrada": 4.3, "nota": 3.6, "espacio": 1.8}


SANGRIAS = {"capa": 10, "entrada": 12, "titulo": 0, "nota": 2, "espacio": 0}
TAMANOS = {"capa": 7.5, "entrada": 7, "titulo": 7.5, "nota": 6.3, "espacio": 7}
INTERLINEA_MM = 3.1


def _lineas(clase: str, texto: str, ancho_mm: float, factor: float) -> list[str]:
    """Devuelve el texto de una fila partido en a lo más dos líneas que caben en ``ancho_mm``."""
    if not texto:
        return [""]
    # DejaVu Sans: ~0,19 mm por punto de tamaño y carácter, en promedio.
    por_linea = max(8, int((ancho_mm - SANGRIAS[clase]) / (TAMANOS[clase] * factor * 0.19)))
    lineas = textwrap.wrap(texto, por_linea) or [""]
    if len(lineas) > 2:
        lineas = [lineas[0], textwrap.shorten(" ".join(lineas[1:]), por_linea, placeholder="…")]
    return lineas


def _leyenda(figura, mm, dibujadas, x0: float, x1: float, abajo: float, arriba: float) -> None:
    """Dibuja la leyenda en el panel; si no cabe, achica la letra y al final resume lo que sobra."""
    _texto(figura, mm, x0, arriba, "Leyenda", fontsize=10, fontweight="bold", va="top")
    arriba -= 7
    filas = _entradas_leyenda(dibujadas)

    def medir(factor):
        partidas = [_lineas(f[0], f[1], x1 - x0, factor) for f in filas]
        altos = [
            (ALTOS[f[0]] + (len(p) - 1) * INTERLINEA_MM) * factor
            for f, p in zip(filas, partidas, strict=True)
        ]
        return partidas, altos

    partidas, altos = medir(1.0)
    factor = max(0.72, min(1.0, (arriba - abajo) / sum(altos))) if filas else 1.0
    if factor < 1:
        partidas, altos = medir(factor)
    y = arriba
    for i, ((clase, _texto_fila, simbolo, tipo), lineas, alto) in enumerate(
        zip(filas, partidas, altos, strict=True)
    ):
        if y - alto < abajo + (4 if i < len(filas) - 1 else 0):
            restantes = sum(1 for f in filas[i:] if f[0] in ("capa", "entrada"))
            _texto(figura, mm, x0, y, f"… y {restantes} entradas más", fontsize=6.5 * factor, va="top")
            return
        centro = y - alto / 2
        if clase in ("capa", "entrada"):
            _simbolo(figura, mm, simbolo, tipo, x0 + (0 if clase == "capa" else 2), centro, factor)
        if clase != "espacio":
            _texto(
                figura,
                mm,
                x0 + SANGRIAS[clase],
                centro,
                "\n".join(lineas),
                fontsize=TAMANOS[clase] * factor,
                fontweight="bold" if clase in ("capa", "titulo") else "normal",
                style="italic" if clase == "nota" else "normal",
                color=COLOR_SUAVE if clase == "nota" else COLOR_TEXTO,
                va="center",
                linespacing=1.15,
            )
        y -= alto


def _simbolo(figura, mm, simbolo, tipo: str, x: float, y: float, factor: float) -> None:
    """Dibuja la muestra de un símbolo (7 × 4 mm) centrada verticalmente en ``y``."""
    ancho, alto = 7 * factor, 3.6 * factor
    if tipo == "POLYGON":
        propiedades = dibujo.estilo_relleno(simbolo)
        propiedades["linewidth"] = min(propiedades["linewidth"], 1.6)
        figura.add_artist(Rectangle((x, y - alto / 2), ancho, alto, transform=mm, **propiedades))
    elif tipo == "LINESTRING":
        propiedades = dibujo.estilo_linea(simbolo)
        figura.add_artist(
            Line2D(
                [x, x + ancho],
                [y, y],
                transform=mm,
                color=propiedades["colors"][0],
                lw=propiedades["linewidths"],
                solid_capstyle="round",
            )
        )
    else:
        propiedades = dibujo.estilo_punto(simbolo)
        figura.add_artist(
            Line2D(
                [x + ancho / 2],
                [y],
                transform=mm,
                marker="o",
                markersize=2 * simbolo.radio * dibujo.PT_POR_PX,
                markerfacecolor=propiedades["c"][0],
                markeredgecolor=simbolo.borde,
                markeredgewidth=propiedades["linewidths"],
                linestyle="none",
            )
        )


def largo_barra(escala: int, maximo_mm: float) -> float:
    """Devuelve el largo (m) de la barra de escala: 1, 2 o 5 × 10ⁿ que quepa en ``maximo_mm``."""
    maximo_m = maximo_mm / 1000 * escala
    decada = 10 ** int(f"{maximo_m:e}".split("e")[1])
    return max(m * decada for m in (1, 2, 5) if m * decada <= maximo_m)


def _escalas(figura, mm, marco: dibujo.Marco, x0: float, x1: float, abajo: float) -> None:
    """Dibuja la flecha norte, la escala numérica, la barra de escala y la proyección."""
    _norte(figura, mm, x0 + 6, abajo + 34, marco.convergencia_grados())
    _texto(
        figura,
        mm,
        x0 + 15,
        abajo + 36,
        f"Escala 1:{numero_es(marco.escala)}",
        fontsize=9,
        fontweight="bold",
        va="center",
    )
    _texto(
        figura,
        mm,
        x0 + 15,
        abajo + 31.5,
        "(al imprimir a tamaño real)",
        fontsize=6,
        color=COLOR_SUAVE,
        va="center",
    )
    metros = largo_barra(marco.escala, x1 - x0 - 8)
    largo_mm = metros / marco.escala * 1000
    partes = 4 if str(metros)[0] == "2" else 5
    y = abajo + 20
    for i in range(partes):
        figura.add_artist(
            Rectangle(
                (x0 + i * largo_mm / partes, y),
                largo_mm / partes,
                1.6,
                transform=mm,
                facecolor=COLOR_TEXTO if i % 2 == 0 else "white",
                edgecolor=COLOR_TEXTO,
                lw=0.5,
            )
        )
    for valor, posicion in ((0, 0), (metros / 2, largo_mm / 2), (metros, largo_mm)):
        texto = distancia_es(valor) if valor else "0"
        _texto(figura, mm, x0 + posicion, y + 2.6, texto, fontsize=6.3, ha="center", va="bottom")
    _texto(
        figura,
        mm,
        x0,
        abajo + 9,
        f"{nombre_srs(marco.srid)} (EPSG:{marco.srid})\nNorte de la cuadrícula hacia arriba.",
        fontsize=6.2,
        color=COLOR_SUAVE,
        va="center",
        linespacing=1.35,
    )


def _norte(figura, mm, x: float, y: float, angulo: float) -> None:
    """Dibuja una flecha norte (mitad negra, mitad blanca) girada ``angulo`` grados al este."""
    giro = Affine2D().rotate_deg(-angulo).translate(x, y) + mm
    izquierda = [(0, 5), (-2.6, -4), (0, -2.2)]
    derecha = [(0, 5), (2.6, -4), (0, -2.2)]
    figura.add_artist(
        PoligonoMpl(
            izquierda, closed=True, transform=giro, facecolor=COLOR_TEXTO, lw=0.6, edgecolor=COLOR_TEXTO
        )
    )
    figura.add_artist(
        PoligonoMpl(derecha, closed=True, transform=giro, facecolor="white", lw=0.6, edgecolor=COLOR_TEXTO)
    )
    _texto(figura, mm, 0, 6.2, "N", fontsize=9, fontweight="bold", ha="center", va="bottom", transform=giro)
