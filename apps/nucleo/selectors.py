"""Lecturas comunes de la plataforma."""

from django.apps import apps
from django.db.models import Count, Q
from django.urls import reverse

# Registros que se resumen en la página de inicio, en orden de presentación.
MODELOS_RESUMEN = [
    "proyectos.Proyecto",
    "patrimonio.BienInmueble",
    "patrimonio.Activo",
    "patrimonio.Concesion",
    "ordenamiento.PropuestaUsoSuelo",
    "comunas.Localidad",
]


def resumen_registros(*, usuario) -> list[dict]:
    """Devuelve, por cada registro que el usuario puede ver, su total y cuántos son de demo."""
    resumen = []
    for etiqueta in MODELOS_RESUMEN:
        modelo = apps.get_model(etiqueta)
        opts = modelo._meta
        if not usuario.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        cuentas = modelo.objects.aggregate(total=Count("pk"), demo=Count("pk", filter=Q(es_demo=True)))
        resumen.append(
            {
                "nombre": opts.verbose_name_plural,
                "total": cuentas["total"],
                "demo": cuentas["demo"],
                "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            }
        )
    return resumen
