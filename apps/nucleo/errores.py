"""Respuestas de error del sitio: 503 si la base no responde y 500 en español, sin tocar la base.

Las páginas se dibujan sin ``request`` (sin procesadores de contexto): el menú del usuario y la comuna
consultan la base, justo lo que puede estar caído. Las rutas de datos (OGC API, teselas, GeoJSON)
responden JSON, como el resto de sus errores.
"""

import sys

from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.template import loader

from capas.conexion_bd import es_error_de_conexion

# Segundos que se sugiere esperar antes de reintentar (un reinicio de PostgreSQL tarda menos).
REINTENTAR_EN_S = 30
_SUFIJOS_DATOS = (".json", ".geojson", ".pbf")
_PREFIJO_OGCAPI = "/ogcapi"
_RUTAS_DATOS = ("/capas/",)
# La API REST responde siempre JSON con su forma de error ({detalle, errores}, apps/api/errores.py);
# su documentación (/api/docs/) es una página.
_PREFIJO_API = "/api/"
_PAGINAS_API = ("/api/docs/",)

MENSAJE_503 = "La base de datos no está disponible en este momento. Reintente en unos segundos."
MENSAJE_500 = "Ocurrió un error interno; quedó registrado. Reintente o avise al administrador."
MENSAJE_CSRF = "El formulario venció o se abrió en otra sesión: vuelva a cargar la página y envíelo de nuevo."


def quiere_json(request) -> bool:
    """Indica si la ruta es de datos (OGC API, teselas, GeoJSON) y su error va en JSON.

    En OGC API manda ``?f=``, y sin él un navegador (``Accept: text/html``) recibe la página.
    """
    ruta = request.path_info
    aceptado = request.headers.get("Accept", "")
    if ruta.startswith(_PREFIJO_API):
        return not ruta.startswith(_PAGINAS_API)
    if ruta.endswith(_SUFIJOS_DATOS) or ruta.startswith("/tiles/") or ruta in _RUTAS_DATOS:
        return True
    if ruta.startswith(_PREFIJO_OGCAPI):
        formato = request.GET.get("f")
        return formato != "html" if formato else "text/html" not in aceptado
    return "json" in aceptado and "text/html" not in aceptado


def _json(request, codigo: str, mensaje: str, status: int) -> JsonResponse:
    """Devuelve el error en JSON: con la forma de la API bajo /api/, con la de los datos en el resto."""
    if request.path_info.startswith(_PREFIJO_API):
        cuerpo = {"detalle": mensaje, "errores": {}, "codigo": codigo}
    else:
        cuerpo = {"codigo": codigo, "descripcion": mensaje}
    return JsonResponse(cuerpo, status=status, json_dumps_params={"ensure_ascii": False})


def respuesta_no_disponible(request) -> HttpResponse:
    """Devuelve el 503 en español (página o JSON) con ``Retry-After``."""
    if quiere_json(request):
        respuesta = _json(request, "base_no_disponible", MENSAJE_503, 503)
    else:
        contexto = {"mensaje": MENSAJE_503, "segundos": REINTENTAR_EN_S}
        respuesta = HttpResponse(loader.render_to_string("503.html", contexto), status=503)
    respuesta["Retry-After"] = str(REINTENTAR_EN_S)
    respuesta["Cache-Control"] = "no-store"
    return respuesta


def error_500(request):
    """Atiende un error no previsto (handler500): 503 si fue la base, si no la página 500 en español.

    Las fallas de la base que ocurren en un middleware (sesión, autenticación, django-axes) no pasan por
    ``process_exception``: Django las convierte aquí, con la excepción aún en curso.
    """
    if es_error_de_conexion(sys.exc_info()[1]):
        return respuesta_no_disponible(request)
    if quiere_json(request):
        return _json(request, "error_interno", MENSAJE_500, 500)
    return HttpResponse(loader.render_to_string("500.html", {"mensaje": MENSAJE_500}), status=500)


def error_csrf(request, reason: str = ""):
    """Responde el 403 de un formulario sin ficha CSRF válida en español y con el aspecto del sitio."""
    contexto = {"exception": MENSAJE_CSRF}
    return HttpResponseForbidden(loader.render_to_string("403.html", contexto, request=request))
