"""Acceso a las lecturas de capas: sesión, HTTP Basic (QGIS, OWSLib) o anónimo para capas públicas.

Una capa que el usuario no puede ver responde igual que una inexistente: 404 si hay usuario y 401
(con el desafío Basic) si no lo hay, así nadie averigua qué capas no públicas existen.
"""

import base64
import binascii
from functools import wraps

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare, salted_hmac

from capas.registro import CapaNoEncontrada
from capas.servicio.consultas import ParametroInvalido
from capas.servicio.usuarios import recordados

REINO = 'Basic realm="Territorio", charset="UTF-8"'
# Verificar una clave con PBKDF2 cuesta ~0,3 s: QGIS pide decenas de teselas y páginas por minuto,
# así que una credencial ya verificada se recuerda unos minutos (se invalida si cambia la clave).
DURACION_CREDENCIAL_S = 300


def respuesta_error(estado: int, codigo: str, descripcion: str) -> JsonResponse:
    """Devuelve un error en el formato de excepción de OGC API (code, description)."""
    return JsonResponse(
        {"code": codigo, "description": descripcion},
        status=estado,
        json_dumps_params={"ensure_ascii": False},
    )


def no_autorizado(descripcion: str = "Se requieren credenciales para leer esta capa.") -> JsonResponse:
    """Devuelve 401 con el desafío HTTP Basic (QGIS y los navegadores piden usuario y clave)."""
    respuesta = respuesta_error(401, "NoAutorizado", descripcion)
    respuesta["WWW-Authenticate"] = REINO
    return respuesta


def _credenciales(cabecera: str) -> tuple[str, str] | None:
    """Devuelve (usuario, clave) de una cabecera ``Authorization: Basic``, o None si no es válida."""
    esquema, _, valor = cabecera.partition(" ")
    if esquema.lower() != "basic" or not valor.strip():
        return None
    try:
        texto = base64.b64decode(valor.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    nombre, separador, clave = texto.partition(":")
    return (nombre, clave) if separador and nombre else None


def _huella(cabecera: str) -> str:
    """Devuelve la clave de caché de una credencial (HMAC: la clave nunca se guarda en claro)."""
    firma = salted_hmac("capas.servicio.autenticacion.basic", cabecera, algorithm="sha256").hexdigest()
    return f"capas:basic:{firma}"


def usuario_basic(request, cabecera: str):
    """Devuelve el usuario activo de una credencial Basic (los mismos usuarios del sitio) o None."""
    credenciales = _credenciales(cabecera)
    if credenciales is None:
        return None
    huella = _huella(cabecera)
    recordado = cache.get(huella)
    if recordado is not None:
        pk, hash_clave, ruta_backend = recordado
        usuario = recordados.usuario(ruta_backend, pk)
        if usuario is not None and usuario.is_active and constant_time_compare(usuario.password, hash_clave):
            return usuario
    nombre, clave = credenciales
    # django-axes (primer backend) cuenta los fallos en la base y niega mientras dure el bloqueo.
    usuario = authenticate(request, username=nombre, password=clave)
    if usuario is None and getattr(request, "axes_locked_out", False):
        raise IntentosAgotados
    if usuario is not None:
        cache.set(huella, (usuario.pk, usuario.password, usuario.backend), DURACION_CREDENCIAL_S)
    return usuario


class IntentosAgotados(Exception):
    """Demasiados intentos fallidos recientes de ese usuario desde esa dirección (django-axes)."""


def acceso_a_capas(vista):
    """Decora una vista de lectura de capas: acepta sesión, Basic o anónimo y oculta lo no visible.

    También traduce los errores comunes de todas las lecturas: capa inexistente o no visible (404 o
    401) y parámetro inválido (400, con el mensaje en español).
    """

    @login_not_required
    @wraps(vista)
    def envoltura(request, *args, **kwargs):
        cabecera = request.headers.get("Authorization")
        if cabecera:
            try:
                usuario = usuario_basic(request, cabecera)
            except IntentosAgotados:
                segundos = int(settings.AXES_COOLOFF_TIME.total_seconds())
                mensaje = f"Demasiados intentos fallidos: espere {segundos // 60} minutos."
                respuesta = respuesta_error(429, "DemasiadosIntentos", mensaje)
                respuesta["Retry-After"] = str(segundos)
                return respuesta
            if usuario is None:
                return no_autorizado("Usuario o clave incorrectos.")
            request.user = usuario
        try:
            respuesta = vista(request, *args, **kwargs)
        except CapaNoEncontrada:
            if not request.user.is_authenticated:
                respuesta = no_autorizado()
            else:
                respuesta = respuesta_error(404, "NoEncontrada", "No existe la capa pedida.")
        except ParametroInvalido as error:
            respuesta = respuesta_error(400, "ParametroInvalido", str(error))
        patch_vary_headers(respuesta, ("Authorization", "Cookie"))
        return respuesta

    return envoltura
