"""Escrituras de trabajos: crear uno con su carpeta y encolarlo en la misma transacción."""

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from capas.trabajos.models import Trabajo
from capas.trabajos.tipos import tipo_de


def carpeta_raiz() -> Path:
    """Devuelve el directorio del proyecto donde vive la carpeta de cada trabajo."""
    return Path(settings.CAPAS_TRABAJOS_DIR)


def trabajo_crear(
    *,
    tipo: str,
    parametros: dict,
    usuario=None,
    preparar: Callable[[Path], dict] | None = None,
    encolar: bool,
) -> Trabajo:
    """Crea el trabajo y su carpeta (``preparar`` guarda ahí lo que necesite) y, si se pide, lo encola.

    Todo o nada: si algo falla no queda ni la fila, ni el trabajo en la cola, ni la carpeta. El
    trabajo entra a la cola en la misma transacción que la fila: ningún trabajador lo ve antes de
    que ambos estén confirmados, con la carpeta ya escrita.
    """
    tipo_de(tipo)
    carpeta = None
    try:
        with transaction.atomic():
            trabajo = Trabajo.objects.create(tipo=tipo, parametros=parametros, usuario=usuario)
            # El id solo no basta: tras restaurar un respaldo (o reiniciar la secuencia) un id puede
            # repetirse mientras la carpeta vieja espera al conserje.
            carpeta_raiz().mkdir(parents=True, exist_ok=True)
            carpeta = Path(tempfile.mkdtemp(prefix=f"{trabajo.pk}-", dir=carpeta_raiz()))
            trabajo.carpeta = str(carpeta)
            if preparar:
                trabajo.parametros = {**parametros, **preparar(carpeta)}
            if encolar:
                from capas.tareas import trabajo_correr

                trabajo.cola_id = trabajo_correr.defer(trabajo_id=trabajo.pk)
            trabajo.save(update_fields=["carpeta", "parametros", "cola_id"])
    except BaseException:
        if carpeta is not None:
            shutil.rmtree(carpeta, ignore_errors=True)
        raise
    return trabajo
