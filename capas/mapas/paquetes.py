"""Carpetas de ``node_modules`` que se sirven como estáticos, bajo ``vendor/<nombre>/``.

Sin Django: lo importa la configuración para armar ``STATICFILES_DIRS``. Solo se publican las
carpetas que los mapas usan (no todo ``node_modules``, que trae herramientas de compilación).
Las versiones las fija ``package.json`` / ``package-lock.json`` (las que esperan las plantillas de
folium 0.20.0), y ``./run`` las instala con ``npm ci``.
"""

from pathlib import Path

# prefijo bajo vendor/ → carpeta dentro de node_modules
CARPETAS = {
    "leaflet": "leaflet/dist",
    "jquery": "jquery/dist",
    "bootstrap": "bootstrap/dist",
    "fontawesome/css": "@fortawesome/fontawesome-free/css",
    "fontawesome/webfonts": "@fortawesome/fontawesome-free/webfonts",
    "awesome-markers": "leaflet.awesome-markers/dist",
    "fullscreen": "leaflet.fullscreen",
    "measure": "leaflet-measure/dist",
    "locate": "leaflet.locatecontrol/dist",
    "draw": "leaflet-draw/dist",
    "minimap": "leaflet-minimap/dist",
    "markercluster": "leaflet.markercluster/dist",
    "layers-tree": "leaflet.control.layers.tree",
    "vectorgrid": "leaflet.vectorgrid/dist",
    "d3": "d3",
    # Visor: coordenadas y medidas en el huso UTM de la comuna (definición proj4 desde el servidor).
    "proj4": "proj4/dist",
    # Formularios con mapa: dibujo con ajuste (snapping), sin autointersecciones y edición de vértices.
    "geoman": "@geoman-io/leaflet-geoman-free/dist",
}


def directorios_estaticos(raiz: Path) -> list[tuple[str, Path]]:
    """Devuelve las entradas de STATICFILES_DIRS (prefijo, carpeta) de los paquetes instalados en ``raiz``."""
    return [(f"vendor/{prefijo}", raiz / "node_modules" / carpeta) for prefijo, carpeta in CARPETAS.items()]
