"""Tareas de Procrastinate del motor (las descubre procrastinate.contrib.django): trabajos y conserje."""

import logging

from procrastinate.contrib.django import app

from capas.trabajos.conserje import conserje_correr
from capas.trabajos.ejecucion import trabajo_ejecutar
from capas.trabajos.models import Trabajo

logger = logging.getLogger(__name__)

COLA_TRABAJOS = "trabajos"
COLA_MANTENCION = "mantencion"


@app.task(name="capas.trabajo_correr", queue=COLA_TRABAJOS, pass_context=True)
def trabajo_correr(contexto, trabajo_id: int) -> None:
    """Ejecuta un trabajo encolado en su proceso hijo acotado (sin reintentos: no es idempotente)."""
    if not Trabajo.objects.filter(pk=trabajo_id).exists():
        logger.warning("El trabajo %s ya no existe; se descarta.", trabajo_id)
        return
    trabajo_ejecutar(trabajo_id, debe_detenerse=contexto.should_abort)


@app.periodic(cron="*/10 * * * *")
@app.task(name="capas.conserje", queue=COLA_MANTENCION, queueing_lock="capas.conserje")
def conserje(timestamp: int) -> None:
    """Falla los trabajos cuyo proceso murió y borra carpetas y temporales que ya nadie usa."""
    conserje_correr()
