"""Middleware de errores: si la base de datos no responde, 503 en español en vez de 500."""

import logging

from apps.nucleo.errores import respuesta_no_disponible
from capas.conexion_bd import es_error_de_conexion

logger = logging.getLogger(__name__)


class BaseNoDisponibleMiddleware:
    """Responde 503 con ``Retry-After`` cuando una vista falla por no poder hablar con la base.

    Va primero en MIDDLEWARE. Las fallas de la base dentro de otro middleware las resuelve
    ``handler500`` (``apps.nucleo.errores.error_500``), con la misma respuesta.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        """Sigue la pila sin costo: solo actúa ante una excepción."""
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Convierte una falla de conexión con la base en el 503; deja pasar cualquier otra."""
        if not es_error_de_conexion(exception):
            return None
        logger.warning("Base de datos no disponible en %s: %s", request.path, exception)
        return respuesta_no_disponible(request)
