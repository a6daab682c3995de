"""Manejador de excepciones de la API: todo error es un 4xx ``{"detalle", "errores"}`` en español."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ValidationErrorDjango
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from apps.nucleo.concurrencia import ConflictoEdicion
from apps.nucleo.errores import MENSAJE_500, MENSAJE_503, REINTENTAR_EN_S
from apps.nucleo.formatos import fecha_hora
from capas.conexion_bd import es_error_de_conexion

logger = logging.getLogger("django.request")

GENERAL = "general"
# Mensajes de DRF que llegan sin traducir o que conviene decir de otro modo.
_DETALLES = {
    exceptions.NotFound: "No encontrado.",
    exceptions.ParseError: "El cuerpo de la petición no es JSON válido.",
    exceptions.ValidationError: "Los datos enviados no son válidos.",
}


def _errores_drf(detalle) -> dict:
    """Devuelve los errores de un ValidationError de DRF como {campo: [mensajes]}."""
    if isinstance(detalle, dict):
        return {
            (GENERAL if k in ("non_field_errors", "__all__") else k): _lista(v) for k, v in detalle.items()
        }
    return {GENERAL: _lista(detalle)}


def _lista(valor) -> list | dict:
    if isinstance(valor, dict):
        return _errores_drf(valor)
    if isinstance(valor, list):
        return [str(v) if not isinstance(v, (dict, list)) else _lista(v) for v in valor]
    return [str(valor)]


def _errores_django(error: ValidationErrorDjango, campos_api: dict) -> dict:
    """Devuelve los errores de un ValidationError de Django con los nombres de campo de la API."""
    if not hasattr(error, "error_dict"):
        return {GENERAL: list(error.messages)}
    return {
        (GENERAL if campo == "__all__" else campos_api.get(campo, campo)): list(mensajes)
        for campo, mensajes in error.message_dict.items()
    }


def cuerpo_error(detalle: str, errores: dict | None = None, **extra) -> dict:
    """Devuelve el cuerpo común de error."""
    return {"detalle": detalle, "errores": errores or {}, **extra}


def _conflicto(error: ConflictoEdicion, vista) -> Response:
    """Devuelve 409 con el registro actual y quién y cuándo lo guardó."""
    actual = vista.representar(error.target.pk) if vista is not None else None
    return Response(
        cuerpo_error(
            str(error),
            modificado_por=error.usuario,
            modificado_en=error.fecha.isoformat() if error.fecha else None,
            modificado_en_texto=fecha_hora(error.fecha) if error.fecha else None,
            actual=actual,
        ),
        status=status.HTTP_409_CONFLICT,
    )


def manejar_excepcion(exc, context):
    """Traduce cualquier error de una vista de la API a una respuesta 4xx en español."""
    vista = context.get("view")
    if isinstance(exc, ConflictoEdicion):
        return _conflicto(exc, vista)
    if isinstance(exc, ValidationErrorDjango):
        campos_api = getattr(vista, "campos_api", {}) if vista is not None else {}
        return Response(
            cuerpo_error(_DETALLES[exceptions.ValidationError], _errores_django(exc, campos_api)),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DataError):
        # Un valor que la base no admite (fuera de rango) y que la validación no atajó.
        return Response(
            cuerpo_error("Un valor enviado está fuera del rango que admite la base de datos."),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    respuesta = exception_handler(exc, context)
    if respuesta is None:
        return _no_prevista(exc, context)
    if isinstance(exc, exceptions.ValidationError):
        respuesta.data = cuerpo_error(_DETALLES[exceptions.ValidationError], _errores_drf(exc.detail))
        return respuesta
    detalle = _DETALLES.get(type(exc)) or str(getattr(exc, "detail", exc))
    respuesta.data = cuerpo_error(detalle)
    return respuesta


def _no_prevista(exc, context):
    """Devuelve 503 si la base no responde; otro error no previsto, 500 en JSON (con DEBUG, la traza)."""
    peticion = context.get("request")
    ruta = getattr(peticion, "path", "?")
    if es_error_de_conexion(exc):
        logger.warning("Base de datos no disponible en %s: %s", ruta, exc)
        respuesta = Response(cuerpo_error(MENSAJE_503), status=status.HTTP_503_SERVICE_UNAVAILABLE)
        respuesta["Retry-After"] = str(REINTENTAR_EN_S)
        return respuesta
    if settings.DEBUG:
        return None
    logger.error("Error no previsto en la API: %s", ruta, exc_info=exc)
    return Response(cuerpo_error(MENSAJE_500), status=status.HTTP_500_INTERNAL_SERVER_ERROR)
