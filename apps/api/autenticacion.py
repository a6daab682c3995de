"""Autenticación de la API: HTTP Basic con los mismos usuarios, caché y django-axes que la OGC API."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from capas.servicio.autenticacion import REINO, IntentosAgotados, usuario_basic


class BasicTerritorio(authentication.BaseAuthentication):
    """HTTP Basic: cada fallo cuenta en django-axes (vía ``authenticate``) y el bloqueo responde 429."""

    def authenticate(self, request):
        """Devuelve (usuario, None) si viene una credencial Basic válida; None si no viene ninguna."""
        cabecera = request.headers.get("Authorization", "")
        if not cabecera.lower().startswith("basic"):
            return None
        try:
            usuario = usuario_basic(request._request, cabecera)
        except IntentosAgotados:
            segundos = int(settings.AXES_COOLOFF_TIME.total_seconds())
            raise exceptions.Throttled(
                wait=segundos, detail=f"Demasiados intentos fallidos: espere {segundos // 60} minutos."
            )
        if usuario is None:
            raise exceptions.AuthenticationFailed("Usuario o clave incorrectos.")
        return usuario, None

    def authenticate_header(self, request):
        """Devuelve el desafío que hace que un cliente pida usuario y clave (401)."""
        return REINO


class EsquemaBasicTerritorio(OpenApiAuthenticationExtension):
    """Describe la autenticación Basic en el esquema OpenAPI."""

    target_class = BasicTerritorio
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        """Devuelve el esquema de seguridad HTTP Basic."""
        return {"type": "http", "scheme": "basic", "description": "Usuario y clave del sitio."}
