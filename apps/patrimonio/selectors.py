"""Lecturas del patrimonio municipal."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.utils import timezone

from apps.patrimonio.choices import EstadoConcesion, Situacion
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


def concesiones_con_situacion(*, hoy: date | None = None) -> QuerySet[Concesion]:
    """Devuelve las concesiones anotadas con ``situacion`` calculada en la base (filtrable y ordenable)."""
    hoy = hoy or timezone.localdate()
    limite = hoy + timedelta(days=settings.TERRITORIO_CONCESION_DIAS_POR_VENCER)
    otorgada = Q(estado=EstadoConcesion.VIGENTE)
    return Concesion.objects.annotate(
        situacion_calculada=Case(
            When(~otorgada, then="estado"),
            When(fecha_termino__lt=hoy, then=Value(Situacion.VENCIDA)),
            When(fecha_termino__lte=limite, then=Value(Situacion.POR_VENCER)),
            default=Value(Situacion.VIGENTE),
            output_field=CharField(),
        )
    )


def concesiones_con_alerta(*, hoy: date | None = None) -> QuerySet[Concesion]:
    """Devuelve las otorgadas vencidas o por vencer, la de término más próximo (o más atrasada) primero."""
    return (
        concesiones_con_situacion(hoy=hoy)
        .filter(situacion_calculada__in=[Situacion.VENCIDA, Situacion.POR_VENCER])
        .select_related("activo", "activo__inmueble")
        .order_by("fecha_termino")
    )
