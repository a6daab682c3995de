"""Lecturas del patrimonio municipal."""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from apps.patrimonio.choices import EstadoConcesion
from apps.patrimonio.models import Concesion


def concesiones_por_vencer(*, dias: int = 60, hoy: date | None = None) -> QuerySet[Concesion]:
    """Devuelve las concesiones vigentes que terminan dentro de ``dias`` días, la más próxima primero."""
    hoy = hoy or timezone.localdate()
    return (
        Concesion.objects.filter(
            estado=EstadoConcesion.VIGENTE,
            fecha_termino__gte=hoy,
            fecha_termino__lte=hoy + timedelta(days=dias),
        )
        .select_related("activo")
        .order_by("fecha_termino")
    )
