"""Auditoría de las apps: la misma de ``capas.auditoria`` (historial por triggers y su contexto)."""

from capas.auditoria import auditado, contexto_auditoria

__all__ = ["auditado", "contexto_auditoria"]
