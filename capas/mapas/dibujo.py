"""Dibujo de mapas en el servidor: capas del registro con sus estilos, en la proyección métrica de la comuna.

Módulo común de todo mapa impreso (la hoja de «Imprimir», y luego los informes de superposición,
estudios ambientales y la Cuenta Pública): ``marco_para`` fija la extensión métrica a una escala
redonda y ``capas_dibujar`` dibuja las capas en unos ejes de matplotlib. Cada capa se lee con una
sola sentencia SQL (su ``FuenteSQL``): PostGIS reproyecta, recorta a la extensión y simplifica a la
resolución de la hoja, así Python solo recibe lo que se ve. No hay mapa base: el servidor nunca pide
URLs (docs/impresion.md).
"""

import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.conf import settings
from django.contrib.gis.geos import Point, Polygon
from django.db import connection
from django.utils.module_loading import import_string
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import PathPatch
from matplotlib.path import Path as RutaMpl

from capas.estilos import Simbolo
from capas.geometria import tipo_simple
from capas.registro import Capa
from capas.srid import reproyectar, srid_almacenamiento, srid_metrico, srid_metrico_de

logger = logging.getLogger(__name__)

# Leaflet mide en píxeles CSS (96 ppp); el papel en puntos tipográficos (72 por pulgada).
PT_POR_PX = 0.75
MM_POR_PULGADA = 25.4
# Escalas redondas (mantisas por década): el mapa se imprime a la menor que contiene la vista.
MANTISAS_ESCALA = (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5)
# Con más vértices que esto una capa va como imagen dentro del PDF (a los ppp de la hoja): el
# archivo queda liviano y el visor de PDF no se arrastra con decenas de miles de polígonos.
VERTICES_RASTERIZAR = 150_000
# Con más elementos que esto en la vista, el borde de los polígonos se adelgaza (a ``BORDE_FINO_PT``):
# miles de predios a escala comunal con el borde del visor son una mancha oscura en el papel.
MUCHOS_ELEMENTOS = 300
BORDE_FINO_PT = 0.3
# Margen (en píxeles de la hoja) alrededor del recorte: el borde cortado de un polígono queda fuera.
MARGEN_RECORTE_PX = 4


@dataclass(frozen=True)
class Marco:
    """Extensión métrica de un mapa en papel: SRID, caja en metros, tamaño en mm, escala 1:N y ppp."""

    srid: int
    xmin: float
    ymin: float
    xmax: float
    ymax: float
    ancho_mm: float
    alto_mm: float
    escala: int
    ppp: int = 300

    @property
    def resolucion_m(self) -> float:
        """Devuelve los metros de terreno que cubre un punto de impresión (píxel a ``ppp``)."""
        return self.escala * MM_POR_PULGADA / 1000 / self.ppp

    @property
    def caja(self) -> tuple[float, float, float, float]:
        """Devuelve (xmin, ymin, xmax, ymax) en metros."""
        return self.xmin, self.ymin, self.xmax, self.ymax

    def convergencia_grados(self) -> float:
        """Devuelve el ángulo (grados, positivo al este) del norte verdadero respecto del norte de la
        cuadrícula en el centro del mapa: la flecha norte se gira en ese ángulo."""
        cx, cy = (self.xmin + self.xmax) / 2, (self.ymin + self.ymax) / 2
        centro = reproyectar(Point(cx, cy, srid=self.srid), srid_almacenamiento())
        norte = reproyectar(Point(centro.x, centro.y + 0.01, srid=srid_almacenamiento()), self.srid)
        return math.degrees(math.atan2(norte.x - cx, norte.y - cy))


@dataclass
class CapaDibujada:
    """Lo que se dibujó de una capa: cuántos elementos y qué categorías de su estilo aparecieron."""

    capa: Capa
    elementos: int = 0
    categorias: set[str] = field(default_factory=set)
    sin_categoria: int = 0


def limite_comuna():
    """Devuelve el límite de la comuna configurada (GEOS en el SRID de almacenamiento) o None."""
    ruta = getattr(settings, "CAPAS_LIMITE_REFERENCIA", None)
    return import_string(ruta)() if ruta else None


def srid_del_mapa(bbox: tuple[float, float, float, float], limite=None) -> int:
    """Devuelve el SRID métrico del mapa: el de la comuna configurada o, sin ella, el del centro del bbox."""
    if limite is not None:
        return srid_metrico_de(limite)
    oeste, sur, este, norte = bbox
    return srid_metrico((oeste + este) / 2, (sur + norte) / 2)


def escala_redonda(minima: float) -> int:
    """Devuelve la menor escala redonda (1:N) que es mayor o igual a ``minima``."""
    decada = 10 ** math.floor(math.log10(max(minima, 1)))
    for factor in (1, 10):
        for mantisa in MANTISAS_ESCALA:
            candidata = mantisa * decada * factor
            if candidata >= minima * (1 - 1e-9):
                return round(candidata)
    raise AssertionError("inalcanzable: la década siguiente siempre contiene la escala")


def marco_para(
    bbox: tuple[float, float, float, float], *, srid: int, ancho_mm: float, alto_mm: float, ppp: int = 300
) -> Marco:
    """Devuelve el marco de ``ancho_mm`` × ``alto_mm`` centrado en el bbox (lon/lat) que lo contiene
    entero a la menor escala redonda."""
    oeste, sur, este, norte = bbox
    # Bordes densificados: en UTM los lados de una caja lon/lat son curvas, no rectas.
    pasos = np.linspace(0, 1, 9)
    bordes = (
        [(oeste + (este - oeste) * t, sur) for t in pasos]
        + [(este, sur + (norte - sur) * t) for t in pasos]
        + [(este - (este - oeste) * t, norte) for t in pasos]
        + [(oeste, norte - (norte - sur) * t) for t in pasos]
    )
    anillo = Polygon([*bordes, bordes[0]], srid=srid_almacenamiento())
    xmin, ymin, xmax, ymax = reproyectar(anillo, srid).extent
    escala = escala_redonda(max((xmax - xmin) / (ancho_mm / 1000), (ymax - ymin) / (alto_mm / 1000), 100))
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    medio_ancho, medio_alto = ancho_mm / 1000 * escala / 2, alto_mm / 1000 * escala / 2
    return Marco(
        srid,
        cx - medio_ancho,
        cy - medio_alto,
        cx + medio_ancho,
        cy + medio_alto,
        ancho_mm,
        alto_mm,
        escala,
        ppp,
    )


def expresion_categoria(capa: Capa) -> str | None:
    """Devuelve la expresión SQL del campo de categoría del estilo (None si el estilo es único)."""
    campo = capa.estilo.campo
    if not campo or not capa.estilo.categorias:
        return None
    atributo = next((a for a in capa.fuente.atributos if a.nombre == campo), None)
    if atributo is None:
        logger.warning("La capa %s categoriza por «%s», que no es uno de sus atributos.", capa.nombre, campo)
        return None
    return f"({atributo.expresion})::text"


def sentencia_capa(
    capa: Capa, marco: Marco, *, donde: str = "TRUE", parametros: tuple = ()
) -> tuple[str, tuple]:
    """Devuelve la sentencia que lee la capa en el marco: (WKB métrico recortado y simplificado, categoría).

    El filtro espacial usa la columna indexada (``&&`` contra la caja del marco llevada al SRID de
    almacenamiento); ``donde`` agrega condiciones (los filtros del visor) sobre el alias ``t``.
    """
    fuente = capa.fuente
    margen = MARGEN_RECORTE_PX * marco.resolucion_m
    caja = "ST_MakeEnvelope(%s, %s, %s, %s, %s)"
    caja_params = (
        marco.xmin - margen,
        marco.ymin - margen,
        marco.xmax + margen,
        marco.ymax + margen,
        marco.srid,
    )
    metrica = f"ST_Transform({fuente.geom}, %s)"
    if tipo_simple(capa.tipo_geometria) == "POINT":
        geometria, geom_params = metrica, (marco.srid,)
    else:
        geometria = f"ST_SimplifyPreserveTopology(ST_ClipByBox2D({metrica}, {caja}::box2d), %s)"
        geom_params = (marco.srid, *caja_params, marco.resolucion_m)
    categoria = expresion_categoria(capa) or "NULL::text"
    en_marco = (
        f"{fuente.geom} && ST_Transform(ST_Segmentize({caja}, %s), {srid_almacenamiento()}) AND ({donde})"
    )
    sql, params = fuente.seleccion(
        columnas=f'ST_AsBinary({geometria}) AS "wkb", {categoria} AS "categoria"',
        donde=en_marco,
        parametros=(*caja_params, (marco.xmax - marco.xmin) / 16, *parametros),
        parametros_columnas=geom_params,
    )
    return f"{sql} ORDER BY {fuente.pk}", params


def capa_leer(capa: Capa, marco: Marco, *, donde: str = "TRUE", parametros: tuple = ()):
    """Devuelve (geometrías shapely métricas no vacías, categorías como arreglos) de la capa en el marco."""
    sql, params = sentencia_capa(capa, marco, donde=donde, parametros=parametros)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        filas = cursor.fetchall()
    if not filas:
        return np.empty(0, dtype=object), np.empty(0, dtype=object)
    geometrias = shapely.from_wkb([bytes(f[0]) if f[0] is not None else None for f in filas])
    categorias = np.array([f[1] for f in filas], dtype=object)
    visibles = ~(shapely.is_missing(geometrias) | shapely.is_empty(geometrias))
    return geometrias[visibles], categorias[visibles]


def capas_dibujar(ejes, capas: list[Capa], marco: Marco, *, condiciones=None) -> list[CapaDibujada]:
    """Dibuja las capas (de arriba abajo, como el panel del visor) en ``ejes`` y devuelve qué se dibujó.

    ``condiciones(capa) -> (sql_donde, parametros)`` agrega a cada capa los filtros del visor (p. ej.
    ``capas.filtros.condicion``); sin ella se dibuja la capa entera dentro del marco.
    """
    ejes.set_xlim(marco.xmin, marco.xmax)
    ejes.set_ylim(marco.ymin, marco.ymax)
    ejes.set_aspect("equal", adjustable="box")
    dibujadas = []
    # La de más abajo se dibuja primero: el orden z sigue al panel de capas.
    for nivel, capa in enumerate(reversed(capas)):
        donde, parametros = condiciones(capa) if condiciones else ("TRUE", ())
        geometrias, categorias = capa_leer(capa, marco, donde=donde, parametros=parametros)
        dibujada = CapaDibujada(capa, elementos=len(geometrias))
        grupos = _agrupar_por_simbolo(capa, categorias, dibujada)
        rasterizar = shapely.get_num_coordinates(geometrias).sum() > VERTICES_RASTERIZAR
        for simbolo, indices in grupos:
            artista = _dibujar(ejes, capa, geometrias[indices], simbolo, zorder=10 + nivel)
            if artista is not None and len(geometrias) > MUCHOS_ELEMENTOS and isinstance(artista, PathPatch):
                artista.set_linewidth(min(artista.get_linewidth(), BORDE_FINO_PT))
            if artista is not None and rasterizar:
                artista.set_rasterized(True)
        dibujadas.append(dibujada)
    dibujadas.reverse()
    return dibujadas


def _agrupar_por_simbolo(capa: Capa, categorias, dibujada: CapaDibujada) -> list[tuple[Simbolo, np.ndarray]]:
    """Devuelve (símbolo, índices) por categoría del estilo; lo no categorizado usa el símbolo base."""
    estilo = capa.estilo
    if not estilo.categorias or estilo.campo is None:
        return [(estilo.simbolo, np.arange(len(categorias)))] if len(categorias) else []
    por_valor = {c.valor: c.simbolo for c in estilo.categorias}
    indices = defaultdict(list)
    for i, valor in enumerate(categorias):
        if valor in por_valor:
            indices[valor].append(i)
            dibujada.categorias.add(valor)
        else:
            indices[None].append(i)
            dibujada.sin_categoria += 1
    # Orden del estilo: con transparencias, el resultado no depende de qué valor apareció primero.
    orden = [c.valor for c in estilo.categorias if c.valor in indices]
    grupos = [(por_valor[v], np.array(indices[v])) for v in orden]
    if None in indices:
        grupos.insert(0, (estilo.simbolo, np.array(indices[None])))
    return grupos


def _partes(geometrias, tipo_id: int):
    """Devuelve las partes simples de tipo ``tipo_id`` (0 punto, 1 línea, 3 polígono) de las geometrías."""
    partes = shapely.get_parts(geometrias)
    # Un recorte puede dejar colecciones (polígono + línea): se aplanan una vez más.
    while (compuestas := shapely.get_type_id(partes) >= 4).any():
        partes = np.concatenate([partes[~compuestas], shapely.get_parts(partes[compuestas])])
    return partes[shapely.get_type_id(partes) == tipo_id]


def ruta_poligonos(geometrias) -> RutaMpl | None:
    """Devuelve un solo camino compuesto de matplotlib con todos los polígonos (huecos incluidos).

    Los anillos exteriores van antihorarios y los huecos horarios: con la regla de relleno «distinto
    de cero» de Agg y del PDF, los huecos quedan vacíos y los polígonos que se traslapan no.
    """
    poligonos = shapely.orient_polygons(_partes(geometrias, 3), exterior_cw=False)
    if len(poligonos) == 0:
        return None
    anillos = shapely.get_rings(poligonos)
    coordenadas, indice = shapely.get_coordinates(anillos, return_index=True)
    codigos = np.full(len(coordenadas), RutaMpl.LINETO, dtype=RutaMpl.code_type)
    inicios = np.flatnonzero(np.r_[True, indice[1:] != indice[:-1]])
    codigos[inicios] = RutaMpl.MOVETO
    codigos[np.r_[inicios[1:] - 1, len(coordenadas) - 1]] = RutaMpl.CLOSEPOLY
    return RutaMpl(coordenadas, codigos)


def _dibujar(ejes, capa: Capa, geometrias, simbolo: Simbolo, *, zorder: int):
    """Dibuja un grupo de geometrías con un símbolo y devuelve el artista (o None si no quedó nada)."""
    tipo = tipo_simple(capa.tipo_geometria)
    if tipo == "POLYGON":
        ruta = ruta_poligonos(geometrias)
        if ruta is None:
            return None
        # add_artist y no add_patch: este recorre en Python cada vértice para ampliar los límites
        # de los ejes (segundos con decenas de miles de vértices), y aquí los límites son el marco.
        return ejes.add_artist(PathPatch(ruta, zorder=zorder, **estilo_relleno(simbolo)))
    if tipo == "LINESTRING":
        lineas = _partes(geometrias, 1)
        coordenadas, indice = shapely.get_coordinates(lineas, return_index=True)
        cortes = np.flatnonzero(indice[1:] != indice[:-1]) + 1
        segmentos = np.split(coordenadas, cortes) if len(coordenadas) else []
        coleccion = LineCollection(segmentos, zorder=zorder, capstyle="round", **estilo_linea(simbolo))
        return ejes.add_collection(coleccion, autolim=False)
    puntos = shapely.get_coordinates(_partes(geometrias, 0))
    return ejes.scatter(puntos[:, 0], puntos[:, 1], zorder=zorder, **estilo_punto(simbolo))


def estilo_relleno(simbolo: Simbolo) -> dict:
    """Devuelve las propiedades de matplotlib de un polígono con el símbolo (como en el visor)."""
    return {
        "facecolor": to_rgba(simbolo.relleno, simbolo.opacidad),
        "edgecolor": simbolo.borde,
        "linewidth": simbolo.ancho * PT_POR_PX,
        "joinstyle": "round",
    }


def estilo_linea(simbolo: Simbolo) -> dict:
    """Devuelve las propiedades de una línea: el trazo va en el color del borde (como el QML)."""
    return {"colors": [simbolo.borde], "linewidths": max(simbolo.ancho, 2) * PT_POR_PX}


def estilo_punto(simbolo: Simbolo) -> dict:
    """Devuelve las propiedades de ``scatter`` de un punto (círculo del radio del visor)."""
    return {
        "s": (2 * simbolo.radio * PT_POR_PX) ** 2,
        "c": [to_rgba(simbolo.relleno, max(simbolo.opacidad, 0.8))],
        "edgecolors": simbolo.borde,
        "linewidths": simbolo.ancho * PT_POR_PX,
        "marker": "o",
    }
