"""Lecturas de la base territorial."""

from django.apps import apps
from django.conf import settings

from apps.comunas.models import Comuna, EnComuna
from capas.reglas_bd import campos_geometricos


def comunas_configuradas():
    """Devuelve la consulta de la comuna configurada (TERRITORIO_COMUNA_CUT): una fila o ninguna."""
    return Comuna.objects.filter(cut=settings.TERRITORIO_COMUNA_CUT)


def comuna_configurada(*, con_geometrias: bool = True) -> Comuna | None:
    """Devuelve la comuna configurada, o None si aún no se carga.

    ``con_geometrias=False`` no trae los dos multipolígonos (límite y límite admisible): para quien
    solo muestra su nombre o usa su clave, como cada página o el admin al proponerla.
    """
    consulta = comunas_configuradas()
    if not con_geometrias:
        consulta = consulta.defer("limite", "limite_admisible")
    return consulta.first()


def registros_fuera_del_limite(*, comuna: Comuna, limite) -> dict[str, int]:
    """Devuelve, por tipo de registro, cuántos de la comuna tienen geometrías fuera de ``limite``."""
    fuera = {}
    for modelo in apps.get_models():
        if not issubclass(modelo, EnComuna):
            continue
        for campo in campos_geometricos(modelo):
            n = (
                modelo.objects.filter(comuna=comuna, **{f"{campo}__isnull": False})
                .exclude(**{f"{campo}__coveredby": limite})
                .count()
            )
            if n:
                nombre = str(modelo._meta.verbose_name_plural)
                fuera[nombre] = fuera.get(nombre, 0) + n
    return fuera


def limite_referencia():
    """Devuelve el límite de la comuna configurada (para el motor de capas), o None."""
    return comunas_configuradas().values_list("limite", flat=True).first()
