"""Página del visor: el mapa de folium incrustado en el sitio y su configuración para el JS."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.visor.selectors import encuadre_del_visor
from capas.mapas import visor


@require_GET
def mapa(request):
    """Muestra el visor con las capas que el usuario puede ver (orden y modo según el registro)."""
    encuadre, comuna = encuadre_del_visor()
    contexto = {
        "mapa": visor.partes_html(visor.mapa(encuadre)),
        "configuracion": visor.configuracion(request.user, encuadre),
        "sin_comuna": comuna is None,
    }
    return render(request, "visor/mapa.html", contexto)
