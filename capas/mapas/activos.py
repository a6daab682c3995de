"""Recursos de folium y branca apuntados a los estáticos locales, una vez, al importar este módulo.

folium trae en cada clase (``default_js`` / ``default_css``) enlaces a CDN. Al importar este módulo
(todo mapa de Territorio se arma desde ``capas.mapas``, que lo importa) se les asignan listas
**nuevas** con las rutas locales (nunca ``add_js_link``, que cambia la lista que la
clase comparte con sus subclases). Las URL se resuelven al dibujar el mapa (``lazy``): al arrancar
``collectstatic`` aún no hay manifiesto. Lo que no está en npm con la versión que folium pide (los
glyphicons de Bootstrap 3 y el CSS de rotación de íconos de folium) se quita: Territorio no los usa.
La escala de colores de branca agrega d3 desde un CDN dentro de ``render``: ``EscalaLineal`` lo
reemplaza por el local.
"""

from django.templatetags.static import static
from django.utils.functional import lazy

_estatico = lazy(static, str)


def _local(ruta: str):
    """Devuelve la URL (perezosa) de un archivo servido bajo ``vendor/``."""
    return _estatico(f"vendor/{ruta}")


# clase de folium (módulo, nombre) → (js, css), cada uno con su nombre de recurso y ruta local.
RECURSOS = {
    ("folium.folium", "Map"): (
        [
            ("leaflet", "leaflet/leaflet.js"),
            ("jquery", "jquery/jquery.min.js"),
            ("bootstrap", "bootstrap/js/bootstrap.bundle.min.js"),
            ("awesome_markers", "awesome-markers/leaflet.awesome-markers.js"),
        ],
        [
            ("leaflet_css", "leaflet/leaflet.css"),
            ("bootstrap_css", "bootstrap/css/bootstrap.min.css"),
            ("awesome_markers_font_css", "fontawesome/css/all.min.css"),
            ("awesome_markers_css", "awesome-markers/leaflet.awesome-markers.css"),
        ],
    ),
    ("folium.plugins.fullscreen", "Fullscreen"): (
        [("Control.Fullscreen.js", "fullscreen/Control.FullScreen.js")],
        [("Control.FullScreen.css", "fullscreen/Control.FullScreen.css")],
    ),
    ("folium.plugins.measure_control", "MeasureControl"): (
        [("leaflet_measure_js", "measure/leaflet-measure.min.js")],
        [("leaflet_measure_css", "measure/leaflet-measure.css")],
    ),
    ("folium.plugins.locate_control", "LocateControl"): (
        [("Control_locate_min_js", "locate/L.Control.Locate.min.js")],
        [("Control_locate_min_css", "locate/L.Control.Locate.min.css")],
    ),
    ("folium.plugins.draw", "Draw"): (
        [("leaflet_draw_js", "draw/leaflet.draw.js")],
        [("leaflet_draw_css", "draw/leaflet.draw.css")],
    ),
    ("folium.plugins.minimap", "MiniMap"): (
        [("Control_MiniMap_js", "minimap/Control.MiniMap.min.js")],
        [("Control_MiniMap_css", "minimap/Control.MiniMap.min.css")],
    ),
    ("folium.plugins.marker_cluster", "MarkerCluster"): (
        [("markerclusterjs", "markercluster/leaflet.markercluster.js")],
        [
            ("markerclustercss", "markercluster/MarkerCluster.css"),
            ("markerclusterdefaultcss", "markercluster/MarkerCluster.Default.css"),
        ],
    ),
    ("folium.plugins.treelayercontrol", "TreeLayerControl"): (
        [("L.Control.Layers.Tree.min.js", "layers-tree/L.Control.Layers.Tree.js")],
        [("L.Control.Layers.Tree.min.css", "layers-tree/L.Control.Layers.Tree.css")],
    ),
    ("folium.plugins.vectorgrid_protobuf", "VectorGridProtobuf"): (
        [("vectorGrid", "vectorgrid/Leaflet.VectorGrid.bundled.js")],
        [],
    ),
}
D3 = "d3/d3.min.js"


def clases_con_recursos() -> list[type]:
    """Devuelve las clases de folium cuyos recursos se sirven localmente."""
    import importlib

    return [getattr(importlib.import_module(modulo), nombre) for modulo, nombre in RECURSOS]


def activos_locales() -> None:
    """Asigna a cada clase de folium listas nuevas de recursos locales (idempotente)."""
    for clase, (js, css) in zip(clases_con_recursos(), RECURSOS.values(), strict=True):
        clase.default_js = [(nombre, _local(ruta)) for nombre, ruta in js]
        clase.default_css = [(nombre, _local(ruta)) for nombre, ruta in css]


def escala_lineal(*args, **kwargs):
    """Devuelve una escala de colores de branca (``LinearColormap``) que carga d3 local."""
    from branca.colormap import LinearColormap
    from branca.element import JavascriptLink

    class EscalaLineal(LinearColormap):
        """LinearColormap cuyo d3 sale de los estáticos locales, no del CDN fijo de branca."""

        def render(self, **opciones):
            super().render(**opciones)
            # Mismo nombre («d3»): reemplaza el enlace que branca acaba de agregar.
            self.get_root().header.add_child(JavascriptLink(str(_local(D3))), name="d3")

    return EscalaLineal(*args, **kwargs)


# Aquí y no en CapasConfig.ready: importar folium y sus complementos cuesta ~0,5 s, que pagarían
# también los procesos que nunca dibujan un mapa (órdenes, trabajador, cada hijo de un trabajo).
activos_locales()
