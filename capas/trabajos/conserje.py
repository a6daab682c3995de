"""Conserje de trabajos: falla los que perdieron su proceso y borra carpetas y temporales sin dueño.

Corre al iniciar el trabajador (``capas_trabajador``) y cada 10 minutos como tarea periódica.
Un trabajo en curso está muerto si el proceso que lo vigilaba ya no existe en este equipo, o si su
latido (el padre lo renueva cada medio segundo) tiene más de ``LATIDO_MAX``. Uno pendiente está
muerto si ya no está en la cola.
"""

import logging
import os
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from capas.trabajos.ejecucion import sesiones_terminar, trabajo_fallar
from capas.trabajos.models import EstadoTrabajo, Trabajo
from capas.trabajos.services import carpeta_raiz
from capas.trabajos.tipos import tipo_para_mostrar

logger = logging.getLogger(__name__)

LATIDO_MAX = timedelta(minutes=2)
# Un trabajo pendiente recién creado puede no estar confirmado aún en la cola.
PENDIENTE_MIN = timedelta(minutes=2)
PREFIJO_TEMPORAL = "territorio-importar-"


@dataclass
class Limpieza:
    """Lo que hizo (o haría) el conserje."""

    trabajos: list[int] = field(default_factory=list)
    carpetas: list[Path] = field(default_factory=list)
    temporales: list[Path] = field(default_factory=list)


def conserje_correr(*, borrar: bool = True, temporales_min: float | None = None) -> Limpieza:
    """Falla los trabajos muertos y borra carpetas de trabajo y temporales viejos; devuelve qué hizo."""
    limpieza = Limpieza()
    if borrar:
        limpieza.trabajos = trabajos_muertos_fallar()
    limpieza.carpetas = carpetas_sin_trabajo_vivo()
    minutos = settings.CAPAS_TRABAJOS_TEMPORALES_MIN if temporales_min is None else temporales_min
    limpieza.temporales = temporales_viejos(antiguedad_min=minutos)
    if borrar:
        for ruta in [*limpieza.carpetas, *limpieza.temporales]:
            shutil.rmtree(ruta, ignore_errors=True)
    if limpieza.trabajos or limpieza.carpetas or limpieza.temporales:
        logger.info(
            "Conserje: %d trabajos muertos, %d carpetas y %d temporales",
            len(limpieza.trabajos),
            len(limpieza.carpetas),
            len(limpieza.temporales),
        )
    return limpieza


def trabajos_muertos_fallar() -> list[int]:
    """Marca fallidos los trabajos cuyo proceso murió y limpia lo que dejaron; devuelve sus ids."""
    muertos = []
    for trabajo in Trabajo.objects.filter(estado=EstadoTrabajo.EN_CURSO):
        if _proceso_muerto(trabajo):
            muertos.append(trabajo)
    en_cola = _en_cola()
    limite = timezone.now() - PENDIENTE_MIN
    for trabajo in Trabajo.objects.filter(estado=EstadoTrabajo.PENDIENTE, creado__lt=limite):
        if trabajo.cola_id is None or trabajo.cola_id not in en_cola:
            muertos.append(trabajo)
    fallados = []
    for trabajo in muertos:
        sujeto = tipo_para_mostrar(trabajo.tipo).sujeto
        mensaje = f"{sujeto} se interrumpió porque su proceso se detuvo; no se guardó nada."
        sesiones_terminar(trabajo.pk)
        if trabajo_fallar(trabajo.pk, mensaje, motivo="proceso_muerto"):
            fallados.append(trabajo.pk)
            if trabajo.estado != EstadoTrabajo.EN_CURSO:
                continue  # nunca empezó: no dejó archivos que limpiar
            try:
                tipo_para_mostrar(trabajo.tipo).llamar("limpiar", trabajo.parametros, time.time())
            except Exception:
                logger.exception("No se pudo limpiar lo que dejó el trabajo %s", trabajo.pk)
    return fallados


def carpetas_sin_trabajo_vivo() -> list[Path]:
    """Devuelve las carpetas de trabajo (no recientes) cuyo trabajo terminó, falló o ya no existe."""
    raiz = carpeta_raiz()
    if not raiz.is_dir():
        return []
    vivos = set(
        Trabajo.objects.filter(estado__in=[EstadoTrabajo.PENDIENTE, EstadoTrabajo.EN_CURSO]).values_list(
            "carpeta", flat=True
        )
    )
    # Una carpeta recién creada puede ser de un trabajo cuya fila aún no se confirma.
    limite = time.time() - PENDIENTE_MIN.total_seconds()
    viejas = []
    for ruta in raiz.iterdir():
        try:
            if str(ruta) not in vivos and ruta.stat().st_mtime < limite:
                viejas.append(ruta)
        except FileNotFoundError:
            continue  # su trabajo la borró mientras se recorría
    return sorted(viejas)


def temporales_viejos(*, antiguedad_min: float) -> list[Path]:
    """Devuelve los directorios ``territorio-importar-*`` del temporal del sistema con más de N minutos."""
    limite = time.time() - antiguedad_min * 60
    resultado = []
    for ruta in Path(tempfile.gettempdir()).glob(f"{PREFIJO_TEMPORAL}*"):
        try:
            if ruta.is_dir() and not ruta.is_symlink() and ruta.stat().st_mtime < limite:
                resultado.append(ruta)
        except OSError:
            continue
    return sorted(resultado)


def _proceso_muerto(trabajo: Trabajo) -> bool:
    """Indica si el proceso que vigilaba el trabajo ya no existe (o dejó de latir)."""
    if trabajo.latido is None or trabajo.latido < timezone.now() - LATIDO_MAX:
        return True
    if trabajo.equipo != socket.gethostname() or not trabajo.pid:
        return False
    try:
        os.kill(trabajo.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _en_cola() -> set[int]:
    """Devuelve los ids de Procrastinate de los trabajos por hacer o en ejecución."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM procrastinate_jobs WHERE status IN ('todo', 'doing')")
        return {fila[0] for fila in cursor.fetchall()}
