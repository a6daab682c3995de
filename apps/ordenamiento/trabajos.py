"""Preparación de las restricciones como trabajo acotado, programada cuando cambia una capa.

Las señales solo programan (invalidación de la caché de fragmentos); el trabajo corre en el proceso
hijo con sus topes de tiempo y memoria. Mientras no corre, el análisis calcula desde los elementos.
"""

from django.db import transaction

from apps.comunas.models import Comuna
from apps.ordenamiento.models import CapaPreparada
from apps.ordenamiento.preparacion import (
    capas_de_restriccion,
    categorias_listas,
    firmas,
    restricciones_preparar,
)
from apps.ordenamiento.restricciones import es_restriccion
from capas.trabajos.models import EstadoTrabajo, Trabajo
from capas.trabajos.services import trabajo_crear
from capas.trabajos.tipos import TipoTrabajo

TIPO = TipoTrabajo(
    nombre="restricciones_preparar",
    sujeto="La preparación de las restricciones",
    titulo="Preparación de las capas de restricción",
    funcion="apps.ordenamiento.trabajos.preparar",
)


def preparar(trabajo, progreso) -> dict:
    """Prepara lo que no esté vigente de las restricciones de la comuna del trabajo."""
    comuna = Comuna.objects.filter(cut=trabajo.parametros["cut"]).first()
    if comuna is None:
        return {"preparadas": {}}
    return {"preparadas": restricciones_preparar(comuna)}


def preparacion_encolar(cut: str) -> Trabajo | None:
    """Encola la preparación de la comuna si no hay ya una pendiente (devuelve la nueva o None)."""
    pendiente = Trabajo.objects.filter(
        tipo=TIPO.nombre, parametros__cut=cut, estado=EstadoTrabajo.PENDIENTE
    ).exists()
    if pendiente or not Comuna.objects.filter(cut=cut).exists():
        return None
    return trabajo_crear(tipo=TIPO.nombre, parametros={"cut": cut}, encolar=True)


def capa_cambiada(sender, instance, **kwargs) -> None:
    """Receptor de post_save/post_delete de capas (y post_save de elementos): programa la preparación.

    Solo si la capa es de restricción o lo era (tiene fragmentos preparados). Los elementos no se
    vigilan al borrarse: conectar post_delete quitaría el borrado rápido de una capa entera; esos
    casos los recoge ``restricciones_vigilar`` (tarea periódica).
    """
    capa = getattr(instance, "capa", instance)
    if es_restriccion(capa.categoria) or CapaPreparada.objects.filter(capa_id=capa.pk).exists():
        cut = capa.cut
        transaction.on_commit(lambda: preparacion_encolar(cut))


def comunas_por_preparar() -> list[str]:
    """Devuelve los CUT de las comunas con alguna capa o categoría de restricción sin preparar."""
    cuts = []
    for comuna in Comuna.objects.all():
        capas = capas_de_restriccion(comuna)
        vigentes = categorias_listas(comuna, firmas(capas))
        if any(not c["lista"] or c["categoria"] not in vigentes for c in capas):
            cuts.append(comuna.cut)
    return cuts
