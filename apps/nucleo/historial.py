"""Historial legible de un registro: quién, cuándo y qué cambió (sobre los eventos de pghistory)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model

ACCIONES = {"alta": "Creó", "cambio": "Modificó", "baja": "Eliminó"}


@dataclass(frozen=True)
class Evento:
    """Un evento del historial de un registro, listo para leer."""

    fecha: datetime
    accion: str
    usuario: str


def nombre_actor(contexto: dict | None) -> str:
    """Devuelve quién hizo el cambio: el nombre de la cuenta, o el origen si fue una orden del sistema."""
    contexto = contexto or {}
    pk = contexto.get("user")
    if pk is None:
        return contexto.get("origen") or "sistema"
    cuenta = get_user_model().objects.filter(pk=pk).first()
    if cuenta is None:
        return f"cuenta #{pk}"
    return cuenta.get_full_name() or cuenta.get_username()


def ultimo_evento(instancia) -> Evento | None:
    """Devuelve el último evento del historial del registro, o None si no tiene historial."""
    eventos = getattr(instancia, "events", None)
    if eventos is None:
        return None
    evento = eventos.select_related("pgh_context").order_by("-pgh_id").first()
    if evento is None:
        return None
    contexto = evento.pgh_context.metadata if evento.pgh_context_id else {}
    return Evento(
        fecha=evento.pgh_created_at,
        accion=ACCIONES.get(evento.pgh_label, evento.pgh_label),
        usuario=nombre_actor(contexto),
    )
