"""Mapas base y capas de contexto de todo mapa del sistema (visor, widgets de edición, impresión).

Los mapas base los configura un administrador (``MapaBase``); ninguno es obligatorio. Sus URL las pide
el navegador: el servidor solo las entrega en la lista, nunca se conecta a ellas.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from capas.registro import CapaNoEncontrada, registro


def mapas_base() -> list[dict]:
    """Devuelve los mapas base activos en su orden, como los consume un mapa de Leaflet o folium.

    ``atribucion`` es texto sin HTML (el modelo rechaza < y >); ``capas``, ``formato`` y
    ``transparente`` solo se usan en los WMS.
    """
    from capas.models import MapaBase

    return [
        {
            "nombre": m.nombre,
            "titulo": m.titulo,
            "tipo": m.tipo,
            "url": m.url,
            "capas": m.capas,
            "formato": m.formato,
            "transparente": m.transparente,
            "atribucion": m.atribucion,
            "por_omision": m.por_omision,
        }
        for m in MapaBase.objects.filter(activo=True).order_by("orden", "titulo")
    ]


def capas_folium(mapas: list[dict] | None = None) -> list:
    """Devuelve las capas de folium (``TileLayer`` / ``WmsTileLayer``) de los mapas base, para agregar.

    Solo la marcada por omisión queda encendida (``show``); son capas base (``overlay=False``), así que
    el control de capas las ofrece como alternativas. La atribución va escapada: Leaflet la pone como
    HTML. Sin mapas base configurados devuelve ``[]`` (arme el mapa con ``tiles=None``).
    """
    import folium

    import capas.mapas.activos  # noqa: F401 (recursos locales de folium antes de dibujar)

    capas = []
    for m in mapas_base() if mapas is None else mapas:
        comunes = {"attr": escape(m["atribucion"]) or " ", "name": m["titulo"], "overlay": False}
        comunes["show"] = m["por_omision"]
        if m["tipo"] == "wms":
            capa = folium.WmsTileLayer(
                m["url"], layers=m["capas"], fmt=m["formato"], transparent=m["transparente"], **comunes
            )
        else:
            capa = folium.TileLayer(tiles=m["url"], max_zoom=19, **comunes)
        capas.append(capa)
    return capas


def capas_de_contexto() -> list[str]:
    """Devuelve los nombres de las capas que van bajo todo mapa chico, de abajo arriba.

    Primero las fijas de la configuración (``CAPAS_CONTEXTO``: la comuna y sus localidades), luego
    las capas de referencia que un administrador marcó «de contexto».
    """
    from capas.models import CapaReferencia

    fijas = list(getattr(settings, "CAPAS_CONTEXTO", ()))
    marcadas = CapaReferencia.objects.filter(de_contexto=True).order_by("titulo").values_list("nombre")
    marcadas = [nombre for (nombre,) in marcadas]
    return fijas + [nombre for nombre in marcadas if nombre not in fijas]


def mapa_chico(usuario) -> dict:
    """Devuelve los mapas base y las capas de contexto que ``usuario`` puede ver, para un mapa chico.

    Las capas de contexto van de abajo arriba con su estilo Leaflet y la dirección de su GeoJSON.
    """
    contexto = []
    for nombre in capas_de_contexto():
        try:
            capa = registro.obtener(nombre, usuario)
        except CapaNoEncontrada:
            continue
        contexto.append(
            {
                "nombre": capa.nombre,
                "titulo": capa.titulo,
                "tipo_geometria": capa.tipo_geometria,
                "estilo": capa.estilo.leaflet(),
                "geojson": reverse("capas:geojson", args=[capa.nombre]),
            }
        )
    return {"mapas_base": mapas_base(), "contexto": contexto}
