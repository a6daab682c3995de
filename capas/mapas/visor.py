"""Visor de capas: el mapa de folium (Leaflet y complementos locales) y la configuración que lee su JS.

Agnóstico del dominio: recibe del llamador la extensión y el SRID métrico de la comuna, y arma todo
lo demás desde el registro (``para_visor``: orden, modo de dibujo, visibilidad, estilo, leyenda,
filtros declarados), los mapas base que configuró un administrador (``capas.mapas.base``) y las rutas
de búsqueda e impresión.
"""

from dataclasses import dataclass

import folium
from django.contrib.gis.gdal import SpatialReference
from django.templatetags.static import static
from django.urls import reverse
from folium import plugins

from capas.mapas import activos
from capas.mapas.base import mapas_base
from capas.registro import registro
from capas.servicio import consultas, identificar
from capas.servicio.geojson import describir

# VectorGrid (teselas MVT) y proj4 (UTM de la comuna): locales, después de Leaflet (que folium agrega
# al encabezado recién al dibujar el mapa).
SCRIPTS_EXTRA = ("vendor/vectorgrid/Leaflet.VectorGrid.bundled.min.js", "vendor/proj4/proj4.js")
# Zoom máximo de las teselas vectoriales que sirve /tiles/ (más allá, Leaflet las amplía).
ZOOM_MAXIMO_TESELAS = 18


@dataclass(frozen=True)
class Encuadre:
    """Dónde abre el visor: extensión (oeste, sur, este, norte) y SRID métrico del lugar."""

    extension: tuple[float, float, float, float]
    srid_metrico: int
    titulo: str = "Territorio"


def capas_del_visor(usuario) -> list[dict]:
    """Devuelve las capas del panel en el orden de ``para_visor`` con lo que el JS necesita."""
    capas = registro.para_visor(usuario)
    extensiones = consultas.extensiones(capas)
    return [
        {
            **describir(capa),
            "modo": capa.modo,
            # Las de referencia abren apagadas (Capa.visible) y van debajo (para_visor).
            "visible": capa.visible,
            "tabla": reverse("capas:tabla", args=[capa.nombre]),
            "extension": extensiones.get(capa.nombre),
            "columnas": identificar.columnas(capa),
        }
        for capa in capas
    ]


def configuracion(usuario, encuadre: Encuadre) -> dict:
    """Devuelve la configuración del visor (JSON para ``static/js/visor``)."""
    return {
        "titulo": encuadre.titulo,
        "extension": list(encuadre.extension),
        "srid_metrico": encuadre.srid_metrico,
        "proj4": SpatialReference(encuadre.srid_metrico).proj4.strip(),
        "capas": capas_del_visor(usuario),
        "mapas_base": mapas_base(),
        "urls": {
            "identificar": reverse("capas:identificar"),
            "buscar": reverse("capas:buscar"),
            "imprimir": reverse("capas:impresion:imprimir"),
            "exportar_gpkg": reverse("capas:exportar_archivo", args=["gpkg"]),
        },
        "zoom_maximo_teselas": ZOOM_MAXIMO_TESELAS,
    }


def mapa(encuadre: Encuadre) -> folium.Map:
    """Devuelve el mapa de folium del visor con sus complementos (todos con recursos locales)."""
    oeste, sur, este, norte = encuadre.extension
    m = folium.Map(
        location=[(sur + norte) / 2, (oeste + este) / 2],
        zoom_start=11,
        tiles=None,
        control_scale=False,  # la escala la agrega el JS, solo métrica
        prefer_canvas=False,
        width="100%",
        height="100%",
    )
    m.fit_bounds([[sur, oeste], [norte, este]])
    plugins.Fullscreen(
        position="topleft", title="Pantalla completa", title_cancel="Salir de pantalla completa"
    ).add_to(m)
    plugins.LocateControl(
        position="topleft",
        strings={"title": "Ubicarme", "popup": "Usted está a {distance} m de este punto"},
        flyTo=False,
        keepCurrentZoomLevel=False,
    ).add_to(m)
    return m


def partes_html(m: folium.Map) -> dict[str, str]:
    """Devuelve las partes del documento de folium para incrustarlas en una plantilla del sitio."""
    raiz = m.get_root()
    raiz.render()
    return {
        "cabecera": raiz.header.render(),
        "cuerpo": raiz.html.render(),
        "script": raiz.script.render(),
        "scripts_extra": [static(ruta) for ruta in SCRIPTS_EXTRA],
        "nombre": m.get_name(),
    }


__all__ = ["Encuadre", "activos", "capas_del_visor", "configuracion", "mapa", "partes_html"]
