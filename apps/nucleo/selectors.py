"""Lecturas comunes de la plataforma: el tablero de inicio."""

from django.apps import apps
from django.db.models import Count, Q

from apps.nucleo.fichas import url_opcional
from apps.nucleo.formatos import plural
from apps.nucleo.historial import eventos_recientes
from apps.nucleo.permisos import puede_ver

# Registros del tablero, en orden de presentación: formas singular/plural, lista y ficha.
MODELOS_RESUMEN = {
    "proyectos.Proyecto": ("proyecto,proyectos", "proyectos:lista", "proyectos:ficha"),
    "patrimonio.BienInmueble": (
        "bien inmueble,bienes inmuebles",
        "patrimonio:inmuebles_lista",
        "patrimonio:inmueble_ficha",
    ),
    "patrimonio.Activo": ("activo,activos", "patrimonio:activos_lista", "patrimonio:activo_ficha"),
    "patrimonio.Concesion": (
        "concesión,concesiones",
        "patrimonio:concesiones_lista",
        "patrimonio:concesion_ficha",
    ),
    "ordenamiento.PropuestaUsoSuelo": (
        "propuesta de uso de suelo,propuestas de uso de suelo",
        "ordenamiento:propuestas_lista",
        "ordenamiento:propuesta_ficha",
    ),
    "comunas.Localidad": ("localidad,localidades", None, None),
}


def resumen_registros(*, usuario) -> list[dict]:
    """Devuelve, por cada registro que el usuario puede ver, su total (con plural), demos y su lista."""
    resumen = []
    for etiqueta, (formas, lista, _ficha) in MODELOS_RESUMEN.items():
        modelo = apps.get_model(etiqueta)
        if not puede_ver(usuario, modelo):
            continue
        cuentas = modelo.objects.aggregate(total=Count("pk"), demo=Count("pk", filter=Q(es_demo=True)))
        resumen.append(
            {
                "nombre": modelo._meta.verbose_name_plural,
                "total": cuentas["total"],
                "texto": plural(cuentas["total"], formas),
                "sustantivo": plural(cuentas["total"], formas).partition(" ")[2],
                "demo": cuentas["demo"],
                "url": url_opcional(lista),
            }
        )
    return resumen


def _ficha(modelo, pk) -> str | None:
    """Devuelve la URL de la ficha de un registro del tablero."""
    _formas, _lista, ficha = MODELOS_RESUMEN[modelo._meta.label]
    return url_opcional(ficha, pk)


def cambios_recientes(*, usuario, cantidad: int = 10) -> list:
    """Devuelve los últimos cambios en los registros que el usuario puede ver, legibles y con enlace."""
    modelos = [
        apps.get_model(etiqueta)
        for etiqueta, (_f, _l, ficha) in MODELOS_RESUMEN.items()
        if ficha and puede_ver(usuario, apps.get_model(etiqueta))
    ]
    return eventos_recientes(modelos, cantidad=cantidad, ficha=_ficha)


def alertas_de_concesiones(*, usuario, hoy=None) -> list[dict]:
    """Devuelve las concesiones vencidas o por vencer (si el usuario las puede ver), con su ficha."""
    from apps.patrimonio.choices import Situacion
    from apps.patrimonio.models import Concesion
    from apps.patrimonio.selectors import concesiones_con_alerta

    if not puede_ver(usuario, Concesion):
        return []
    return [
        {
            "obj": c,
            "situacion": Situacion(c.situacion_calculada).label,
            "vencida": c.situacion_calculada == Situacion.VENCIDA,
            "url": url_opcional("patrimonio:concesion_ficha", c.pk),
        }
        for c in concesiones_con_alerta(hoy=hoy)
    ]
