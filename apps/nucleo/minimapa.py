"""Mapa chico de una ficha o del tablero: folium con el mapa base, las capas de contexto y de dominio.

El registro mostrado (y sus vecinos) va incrustado como GeoJSON que arma la vista (pocas geometrías);
las capas de contexto (comuna, localidades, referencias «de contexto») y las de dominio las pide el
navegador al motor de capas (``/capas/<nombre>.geojson``), con los permisos de cada capa
(``static/js/minimapa.js``).
"""

import json

from django.urls import NoReverseMatch, reverse

from capas.registro import CapaNoEncontrada, registro

# Extensión por omisión si no hay nada que encuadrar (Teodoro Schmidt y alrededores).
EXTENSION_CHILE = (-75.0, -45.0, -70.0, -35.0)


def _capa(nombre: str, usuario) -> dict | None:
    """Devuelve la capa del motor como la dibuja minimapa.js, o None si el usuario no la ve."""
    try:
        capa = registro.obtener(nombre, usuario)
    except CapaNoEncontrada:
        return None
    enlace = None
    if capa.enlace:
        try:
            enlace = reverse(capa.enlace, args=[0]).replace("/0/", "/{id}/")
        except NoReverseMatch:
            enlace = None
    return {
        "nombre": capa.nombre,
        "titulo": capa.titulo,
        "estilo": capa.estilo.leaflet(),
        "geojson": reverse("capas:geojson", args=[capa.nombre]),
        "enlace": enlace,
    }


def minimapa(usuario, *, elementos: list[dict], capas: tuple[str, ...] = (), extension=None) -> dict:
    """Devuelve las partes HTML del mapa y su configuración para minimapa.js.

    ``elementos``: dicts con ``geom`` (GEOSGeometry 4326), ``titulo``, ``url``, ``principal`` (el
    registro de la ficha va resaltado) y ``estilo`` (opciones de Leaflet propias, p. ej. la leyenda
    de una comparación). ``capas``: nombres de capas del motor que se agregan encima
    del contexto. ``extension`` (oeste, sur, este, norte) si no hay elementos que encuadrar.
    """
    import folium

    from capas.mapas.base import capas_de_contexto, capas_folium
    from capas.mapas.visor import partes_html

    geometrias = [e["geom"] for e in elementos if e.get("geom") is not None]
    if geometrias:
        oeste = min(g.extent[0] for g in geometrias)
        sur = min(g.extent[1] for g in geometrias)
        este = max(g.extent[2] for g in geometrias)
        norte = max(g.extent[3] for g in geometrias)
        margen = max(este - oeste, norte - sur, 0.004) * 0.25
        extension = (oeste - margen, sur - margen, este + margen, norte + margen)
    extension = extension or EXTENSION_CHILE
    oeste, sur, este, norte = extension
    m = folium.Map(
        location=[(sur + norte) / 2, (oeste + este) / 2],
        zoom_start=14,
        tiles=None,
        control_scale=False,  # la agrega minimapa.js, solo métrica
        width="100%",
        height="100%",
    )
    for base in capas_folium():
        base.add_to(m)
    # Un solo control de capas: el de folium (mapas base); minimapa.js le agrega las capas de dominio.
    control = folium.LayerControl(collapsed=True, position="topright")
    control.add_to(m)
    m.fit_bounds([[sur, oeste], [norte, este]])
    coleccion = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(e["geom"].geojson),
                "properties": {
                    "titulo": str(e["titulo"]),
                    "url": e.get("url"),
                    "principal": e.get("principal"),
                    "estilo": e.get("estilo"),
                },
            }
            for e in elementos
            if e.get("geom") is not None
        ],
    }
    contexto = [c for c in (_capa(n, usuario) for n in capas_de_contexto()) if c]
    dominio = [c for c in (_capa(n, usuario) for n in capas) if c]
    partes = partes_html(m)
    # folium declara el control con «let» (no queda en window): se publica para minimapa.js.
    partes["script"] += f"\nwindow.minimapaControl = {control.get_name()};\n"
    partes["configuracion"] = {
        "mapa": partes["nombre"],
        "elementos": coleccion,
        "contexto": contexto,
        "capas": dominio,
    }
    return partes
