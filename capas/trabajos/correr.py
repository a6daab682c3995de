"""Lo que hace el proceso hijo con Django ya iniciado: corre la función del tipo y guarda el final."""

import json
import logging

from django.db import OperationalError, connections, transaction
from django.utils import timezone

from capas.trabajos.ejecucion import trabajo_fallar
from capas.trabajos.models import EstadoTrabajo, Trabajo
from capas.trabajos.tipos import TrabajoRechazado, tipo_de

logger = logging.getLogger(__name__)


class TrabajoYaCerrado(Exception):
    """El trabajo dejó de estar en curso (lo falló otro proceso) antes de que el hijo terminara."""


def trabajo_correr_aqui(trabajo_id: int, *, tubo, tiempo_s: float, memoria_mib: int) -> int:
    """Corre el trabajo en este proceso (el hijo) y deja su estado final en la base; devuelve 0 o 1."""
    trabajo = Trabajo.objects.select_related("usuario").get(pk=trabajo_id)
    tipo = tipo_de(trabajo.tipo)

    def progreso(hechos: int, total: int, mensaje: str = "") -> None:
        tubo.write(json.dumps({"avance": hechos, "total": total, "mensaje": mensaje}).encode() + b"\n")

    try:
        with transaction.atomic():
            resultado = tipo.llamar("funcion", trabajo, progreso) or {}
            terminados = Trabajo.objects.filter(pk=trabajo_id, estado=EstadoTrabajo.EN_CURSO).update(
                estado=EstadoTrabajo.TERMINADO,
                resultado=resultado,
                mensaje="Terminado",
                terminado=timezone.now(),
            )
            if not terminados:
                # Otro (el conserje) ya lo dio por fallido y dijo «no se guardó nada»: se revierte.
                raise TrabajoYaCerrado
        return 0
    except TrabajoYaCerrado:
        logger.warning("El trabajo %s ya estaba cerrado al terminar: se revirtió lo que hizo.", trabajo_id)
    except TrabajoRechazado as rechazo:
        trabajo_fallar(trabajo_id, rechazo.mensaje, detalles=rechazo.detalles, motivo="rechazo")
    except MemoryError:
        trabajo_fallar(
            trabajo_id,
            f"{tipo.sujeto} superó la memoria máxima de {memoria_mib} MiB y se detuvo; no se guardó nada.",
            motivo="memoria",
        )
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", "") != "57014":  # 57014: statement_timeout
            _fallar_por_error_interno(trabajo, tipo)
            return 1
        trabajo_fallar(
            trabajo_id,
            f"{tipo.sujeto} superó el tiempo máximo de {tiempo_s:g} s y se detuvo; no se guardó nada.",
            motivo="tiempo",
        )
    except Exception:  # noqa: BLE001 (se registra la traza en _fallar_por_error_interno)
        _fallar_por_error_interno(trabajo, tipo)
    finally:
        connections.close_all()
    return 1


def _fallar_por_error_interno(trabajo, tipo) -> None:
    """Registra la traza en el log del servidor y deja al usuario un mensaje sin detalles internos."""
    logger.exception("Falla interna del trabajo %s (%s)", trabajo.pk, trabajo.tipo)
    trabajo_fallar(
        trabajo.pk, f"{tipo.sujeto} falló por un error interno; no se guardó nada.", motivo="interno"
    )
