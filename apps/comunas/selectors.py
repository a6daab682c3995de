"""Lecturas de la base territorial."""

from django.conf import settings

from apps.comunas.models import Comuna


def comuna_configurada() -> Comuna | None:
    """Devuelve la comuna configurada (TERRITORIO_COMUNA_CUT), o None si aún no se carga."""
    return Comuna.objects.filter(cut=settings.TERRITORIO_COMUNA_CUT).first()
