"""Auditoría: historial por triggers (django-pghistory) y el contexto de quién y por qué.

Vive en ``capas`` (que no importa ``apps``) para que el motor de capas y las apps del dominio usen la
misma definición; ``apps.nucleo.auditoria`` la reexporta.
"""

import pghistory


def auditado(modelo):
    """Registra el historial de ``modelo``: alta, cada cambio (fila nueva) y baja (fila anterior).

    Lo escribe un trigger de la base, así que ni update() ni bulk_create() ni SQL directo escapan.
    Cada modelo recibe rastreadores nuevos: pghistory los ajusta a los campos del modelo.
    """
    return pghistory.track(
        pghistory.InsertEvent("alta"),
        pghistory.UpdateEvent("cambio"),
        pghistory.DeleteEvent("baja"),
    )(modelo)


def contexto_auditoria(*, actor=None, origen: str):
    """Devuelve el contexto que anota usuario y origen en los eventos escritos dentro de él."""
    return pghistory.context(user=getattr(actor, "pk", None), origen=origen)
