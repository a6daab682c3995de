"""Atajo de las teselas: las atiende antes de la pila de middleware completa del sitio.

Una tesela cuesta ~2 ms de SQL; la pila completa (sesión, idioma, CSRF, autenticación con su consulta
de usuario y permisos, mensajes…) sumaba otro tanto a cada una. Para la ruta de teselas, que es solo
lectura (GET), sin formularios, sin plantillas y con su propia respuesta de error, este middleware
resuelve la ruta, abre la sesión, pone el usuario recordado (``capas.servicio.usuarios``) y llama a
la misma vista ``teselas.tesela``: los permisos, el Basic, los errores y las cabeceras son los de
siempre. Va justo después de ``SecurityMiddleware`` (que sigue aplicando sus cabeceras y la
redirección a HTTPS); cualquier otra ruta sigue por la pila completa sin costo adicional.
"""

from importlib import import_module

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject

from capas.servicio import teselas
from capas.servicio.usuarios import usuario_de_sesion


class AtajoTeselasMiddleware:
    """Atiende ``/tiles/<capa>/{z}/{x}/{y}.pbf`` con sesión y usuario livianos."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefijo = None
        self._sesiones = import_module(settings.SESSION_ENGINE).SessionStore

    @property
    def prefijo(self) -> str:
        """Devuelve el prefijo de la ruta de teselas, leído de las rutas del sitio la primera vez."""
        if self._prefijo is None:
            self._prefijo = teselas.ruta_teselas("capa").removesuffix("capa/")
        return self._prefijo

    def __call__(self, request):
        """Responde la tesela si la ruta lo es; si no, sigue la pila normal."""
        if not request.path_info.startswith(self.prefijo):
            return self.get_response(request)
        try:
            coincidencia = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if coincidencia.func is not teselas.tesela:
            return self.get_response(request)
        request.resolver_match = coincidencia
        request.session = self._sesiones(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        request.user = SimpleLazyObject(lambda: usuario_de_sesion(request))
        respuesta = coincidencia.func(request, *coincidencia.args, **coincidencia.kwargs)
        respuesta.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return respuesta
