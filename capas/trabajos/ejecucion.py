"""Ejecución acotada de un trabajo: un proceso hijo con tope de memoria, vigilado con tope de tiempo.

El padre (el trabajador de la cola o la orden) lanza ``python -m capas.trabajos.hijo`` en su propio
grupo de procesos, le pasa por stdin qué trabajo correr y lee su avance por un tubo. Al llegar al
tope de tiempo (o si le piden detenerse) mata el grupo con SIGKILL: la transacción del hijo muere con
su conexión, y el padre termina las sesiones que pudieran quedar, llama a la limpieza del tipo
(archivos fuera de la base) y borra la carpeta de trabajo. Nada queda a medias.
"""

import json
import logging
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from capas.trabajos.models import EstadoTrabajo, Trabajo
from capas.trabajos.tipos import limites_de, tipo_de

logger = logging.getLogger(__name__)

# Cada cuánto (s) el padre escribe en la base el avance y su latido, como máximo.
INTERVALO_GUARDADO = 0.5
# Espera máxima (s) a que PostgreSQL cierre las sesiones del hijo muerto.
ESPERA_SESIONES = 10.0
# Memoria de bloques de GDAL en el hijo (MiB): queda holgada bajo el tope de memoria virtual.
GDAL_CACHEMAX_MIB = 256
# Archivo (en la carpeta del trabajo) con la salida de error del hijo, y cuánto de su final se releva.
REGISTRO_HIJO = "hijo.log"
MAX_REGISTRO_HIJO = 20_000

Progreso = Callable[[int, int], None]


def nombre_de_aplicacion(trabajo_id: int) -> str:
    """Devuelve el application_name con que el hijo se conecta (para hallar sus sesiones)."""
    return f"territorio-trabajo-{trabajo_id}"


def trabajo_ejecutar(
    trabajo_id: int, *, progreso: Progreso | None = None, debe_detenerse: Callable[[], bool] | None = None
) -> Trabajo:
    """Ejecuta el trabajo en un proceso hijo acotado y devuelve el trabajo ya terminado o fallido."""
    iniciados = Trabajo.objects.filter(pk=trabajo_id, estado=EstadoTrabajo.PENDIENTE).update(
        estado=EstadoTrabajo.EN_CURSO,
        iniciado=timezone.now(),
        latido=timezone.now(),
        equipo=socket.gethostname(),
        pid=os.getpid(),
        mensaje="En curso",
    )
    trabajo = Trabajo.objects.get(pk=trabajo_id)
    if not iniciados:
        logger.warning(
            "El trabajo %s ya no estaba pendiente (%s): no se ejecuta.", trabajo_id, trabajo.estado
        )
        return trabajo
    tipo, limites = tipo_de(trabajo.tipo), limites_de(trabajo.tipo)
    carpeta = Path(trabajo.carpeta)
    temporal = carpeta / "tmp"
    temporal.mkdir(parents=True, exist_ok=True)
    try:
        motivo, codigo = _correr_hijo(trabajo, temporal, limites, progreso, debe_detenerse)
    except BaseException:
        # Ctrl-C en la orden o una falla del padre: el hijo ya murió (_correr_hijo lo mata); se
        # deja el trabajo fallido y sin restos antes de propagar.
        _cerrar(trabajo, tipo, limites, "detenido", None)
        raise
    return _cerrar(trabajo, tipo, limites, motivo, codigo)


def _cerrar(trabajo: Trabajo, tipo, limites, motivo: str, codigo: int | None) -> Trabajo:
    """Cierra un trabajo cuyo hijo ya terminó: sesiones, estado final, limpieza y carpeta."""
    trabajo_id = trabajo.pk
    terminado_en = time.time()
    sesiones_terminar(trabajo_id)
    trabajo.refresh_from_db()
    if trabajo.estado == EstadoTrabajo.EN_CURSO:
        # El hijo no alcanzó a escribir su resultado: murió, se le mató o se le pidió detenerse.
        trabajo_fallar(
            trabajo_id,
            _mensaje_de_falla(tipo.sujeto, motivo, codigo, limites),
            motivo=motivo if motivo != "fin" else "inesperado",
        )
        trabajo.refresh_from_db()
        # Solo lo que dejó un hijo muerto: uno que rechazó ya limpió lo suyo, y limpiar por nombre
        # podría borrar el archivo de otra importación en curso con el mismo nombre.
        try:
            tipo.llamar("limpiar", trabajo.parametros, terminado_en)
        except Exception:  # la limpieza no debe ocultar el resultado; el conserje vuelve a intentar
            logger.exception("No se pudo limpiar lo que dejó el trabajo %s", trabajo_id)
    shutil.rmtree(trabajo.carpeta, ignore_errors=True)
    return trabajo


def trabajo_fallar(trabajo_id: int, error: str, *, motivo: str, detalles: list[str] | None = None) -> bool:
    """Marca fallido un trabajo que aún no terminó; devuelve si lo marcó."""
    return bool(
        Trabajo.objects.filter(
            pk=trabajo_id, estado__in=[EstadoTrabajo.PENDIENTE, EstadoTrabajo.EN_CURSO]
        ).update(
            estado=EstadoTrabajo.FALLIDO,
            error=error,
            detalles=detalles or [],
            resultado={"motivo": motivo},
            mensaje="Falló",
            terminado=timezone.now(),
        )
    )


def sesiones_terminar(trabajo_id: int) -> None:
    """Termina las sesiones de PostgreSQL del hijo (si siguen vivas) y espera a que se cierren."""
    nombre = nombre_de_aplicacion(trabajo_id)
    limite = time.monotonic() + ESPERA_SESIONES
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s AND pid <> pg_backend_pid()",
                [nombre],
            )
            if cursor.fetchone()[0] == 0 or time.monotonic() > limite:
                return
            time.sleep(0.1)


def _correr_hijo(trabajo, temporal: Path, limites, progreso, debe_detenerse) -> tuple[str, int | None]:
    """Lanza el hijo y lo vigila; devuelve (motivo, código de salida): «fin», «tiempo» o «detenido»."""
    lector, escritor = os.pipe()
    orden = {
        "trabajo": trabajo.pk,
        "padre": os.getpid(),
        "tubo": escritor,
        "tiempo_s": limites.tiempo_s,
        "memoria_mib": limites.memoria_mib,
        "bd": {k: connection.settings_dict[k] for k in ("NAME", "USER", "PASSWORD", "HOST", "PORT")},
        "media_root": str(settings.MEDIA_ROOT),
    }
    entorno = {
        # Sin las URL del dueño ni del administrador: el hijo lee archivos hostiles con GDAL y se
        # conecta solo con la conexión que recibe por stdin.
        **{k: v for k, v in os.environ.items() if not k.startswith("TERRITORIO_DATABASE_URL_")},
        # Con override_settings (pruebas) SETTINGS_MODULE queda vacío: vale el del entorno.
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE,
        # Los temporales del hijo (importación, GDAL) quedan en su carpeta: se borran con ella.
        "TMPDIR": str(temporal),
        "CPL_TMPDIR": str(temporal),
        "GDAL_CACHEMAX": str(GDAL_CACHEMAX_MIB),
        # RLIMIT_AS cuenta memoria reservada, no usada: pocas arenas de malloc por hilo.
        "MALLOC_ARENA_MAX": "2",
        # Un hilo de BLAS: en un servidor de muchos núcleos cada hilo reserva memoria bajo RLIMIT_AS.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
    }
    # El registro del hijo (avisos de GDAL, rechazos) va a un archivo de su carpeta y luego al del
    # padre: no ensucia la línea de error de la orden ni se pierde en el trabajador.
    registro = temporal / REGISTRO_HIJO
    try:
        with registro.open("wb") as salida_error:
            hijo = subprocess.Popen(
                [sys.executable, "-m", "capas.trabajos.hijo"],
                stdin=subprocess.PIPE,
                stderr=salida_error,
                pass_fds=(escritor,),
                env=entorno,
                cwd=settings.BASE_DIR,
                start_new_session=True,
            )
    except BaseException:
        os.close(lector)
        raise
    finally:
        os.close(escritor)
    try:
        hijo.stdin.write(json.dumps(orden).encode())
        hijo.stdin.close()
    except BrokenPipeError:
        pass
    motivo = "detenido"
    try:
        with os.fdopen(lector, "rb", buffering=0) as tubo:
            motivo = _vigilar(hijo, tubo, trabajo.pk, limites.tiempo_s, progreso, debe_detenerse)
    finally:
        if motivo != "fin":
            _matar(hijo)
        codigo = hijo.wait()
        _relevar_registro(trabajo.pk, registro)
    return motivo, codigo


def _relevar_registro(trabajo_id: int, registro: Path) -> None:
    """Pasa al registro del padre (nivel INFO) el final de lo que el hijo escribió en su salida de error."""
    try:
        with registro.open("rb") as archivo:
            archivo.seek(max(registro.stat().st_size - MAX_REGISTRO_HIJO, 0))
            texto = archivo.read().decode("utf-8", "replace").strip()
    except OSError:
        return
    if texto:
        logger.info("Registro del proceso del trabajo %s:\n%s", trabajo_id, texto)


def _vigilar(hijo, tubo, trabajo_id: int, tiempo_s: float, progreso, debe_detenerse) -> str:
    """Lee el avance del hijo hasta que cierre el tubo y salga, o hasta el tope de tiempo."""
    limite = time.monotonic() + tiempo_s
    pendiente, ultimo, guardado = b"", None, 0.0
    abierto = True
    while True:
        ahora = time.monotonic()
        if ahora >= limite:
            return "tiempo"
        if debe_detenerse and debe_detenerse():
            return "detenido"
        if not abierto:
            try:
                hijo.wait(timeout=min(0.5, limite - ahora))
            except subprocess.TimeoutExpired:
                continue
            if ultimo:
                # El último avance, aunque el hijo ya haya dejado el trabajo terminado o fallido.
                Trabajo.objects.filter(pk=trabajo_id).update(avance=ultimo["avance"], total=ultimo["total"])
            return "fin"
        listos, _, _ = select.select([tubo], [], [], min(0.5, limite - ahora))
        if listos:
            bloque = os.read(tubo.fileno(), 65536)
            if not bloque:
                abierto = False
            pendiente += bloque
            *lineas, pendiente = pendiente.split(b"\n")
            for linea in lineas:
                ultimo = _avance(linea, progreso) or ultimo
        if time.monotonic() - guardado >= INTERVALO_GUARDADO:
            _guardar_avance(trabajo_id, ultimo)
            guardado = time.monotonic()


def _avance(linea: bytes, progreso) -> dict | None:
    """Interpreta una línea de avance del hijo y la pasa a ``progreso``; devuelve el avance o None."""
    try:
        datos = json.loads(linea)
        hechos, total = int(datos["avance"]), int(datos["total"])
    except (ValueError, KeyError, TypeError):
        return None
    if progreso:
        progreso(hechos, total)
    return {"avance": hechos, "total": total, "mensaje": str(datos.get("mensaje", ""))[:200]}


def _guardar_avance(trabajo_id: int, avance: dict | None) -> None:
    """Escribe el último avance conocido y el latido del padre (solo si el trabajo sigue en curso)."""
    campos = {"latido": timezone.now(), **(avance or {})}
    if avance and not avance["mensaje"]:
        del campos["mensaje"]
    Trabajo.objects.filter(pk=trabajo_id, estado=EstadoTrabajo.EN_CURSO).update(**campos)


def _matar(hijo) -> None:
    """Mata con SIGKILL el grupo de procesos del hijo (GDAL o lo que haya lanzado muere con él)."""
    try:
        os.killpg(hijo.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _mensaje_de_falla(sujeto: str, motivo: str, codigo: int | None, limites) -> str:
    """Devuelve en español por qué el trabajo se detuvo sin terminar."""
    if motivo == "tiempo":
        return f"{sujeto} superó el tiempo máximo de {limites.tiempo_s:g} s y se detuvo; no se guardó nada."
    if motivo == "detenido":
        return (
            f"{sujeto} se interrumpió antes de terminar (se detuvo el trabajador o la orden); "
            "no se guardó nada."
        )
    if codigo is not None and codigo < 0:
        return (
            f"{sujeto} terminó de forma inesperada (señal {-codigo}; quizá superó la memoria máxima de "
            f"{limites.memoria_mib} MiB); no se guardó nada."
        )
    return f"{sujeto} terminó de forma inesperada (código {codigo}); no se guardó nada."
