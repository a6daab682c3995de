"""Páginas comunes: inicio, verificación de salud y la respuesta a un ingreso bloqueado."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.nucleo.errores import MENSAJE_503, REINTENTAR_EN_S
from apps.nucleo.selectors import alertas_de_concesiones, cambios_recientes, resumen_registros

logger = logging.getLogger(__name__)


# Capas de dominio del mapa del tablero (cada una solo si el usuario la puede ver).
CAPAS_TABLERO = (
    "inmuebles",
    "propuestas-uso-suelo",
    "concesiones",
    "proyectos-areas",
    "proyectos-lineas",
    "proyectos-puntos",
    "activos",
)


@require_GET
def inicio(request):
    """Muestra el tablero: conteos que llevan a las listas, alertas, cambios recientes y el mapa."""
    from apps.nucleo.minimapa import minimapa
    from apps.visor.selectors import encuadre_del_visor

    encuadre, _comuna = encuadre_del_visor()
    contexto = {
        "resumen": resumen_registros(usuario=request.user),
        "alertas": alertas_de_concesiones(usuario=request.user),
        "recientes": cambios_recientes(usuario=request.user),
        "mapa": minimapa(request.user, elementos=[], capas=CAPAS_TABLERO, extension=encuadre.extension),
    }
    return render(request, "nucleo/inicio.html", contexto)


@never_cache
@login_not_required
@require_GET
def salud(request):
    """Responde si la aplicación y PostGIS están disponibles (sin autenticación): 200 o 503.

    Una sola consulta trivial (conecta si hace falta): barata para un balanceador que pregunta seguido.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT PostGIS_Lib_Version()")
            postgis = cursor.fetchone()[0]
    except DatabaseError as error:
        # Sin traza: con la base caída cada sondeo la repetiría en el registro.
        logger.warning("Verificación de salud: la base de datos no responde (%s)", error)
        respuesta = JsonResponse(
            {"estado": "error", "base_de_datos": "no disponible", "detalle": MENSAJE_503},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
        respuesta["Retry-After"] = str(REINTENTAR_EN_S)
        return respuesta
    return JsonResponse({"estado": "ok", "base_de_datos": "disponible", "postgis": postgis})


def respuesta_bloqueo(request, respuesta_original=None, credenciales=None):
    """Responde a un ingreso bloqueado por django-axes (demasiados fallos): 429 con Retry-After.

    Si la vista ya respondió 429 en su propio formato (las lecturas de capas con HTTP Basic responden
    JSON a QGIS), se deja esa; si no, la página en español.
    """
    if respuesta_original is not None and respuesta_original.status_code == 429:
        return respuesta_original
    segundos = int(settings.AXES_COOLOFF_TIME.total_seconds())
    respuesta = render(request, "registration/bloqueado.html", {"minutos": segundos // 60}, status=429)
    respuesta["Retry-After"] = str(segundos)
    return respuesta
