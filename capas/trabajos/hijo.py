"""Proceso hijo de un trabajo: se acota a sí mismo, corre la función del tipo y escribe el resultado.

Lo lanza ``capas.trabajos.ejecucion``; lee por stdin un JSON con el trabajo, la conexión y los
límites. Antes de importar Django fija su tope de memoria virtual (RLIMIT_AS), pide morir si muere su
padre y baja su prioridad (el sitio sigue respondiendo). Su conexión lleva ``statement_timeout`` e
``idle_in_transaction_session_timeout``: ni una consulta ni una transacción lo sobreviven en la base.
El resultado se escribe en la misma transacción que el trabajo: o se ven ambos o ninguno.
"""

import ctypes
import json
import os
import resource
import signal
import sys

PR_SET_PDEATHSIG = 1


def _acotar(orden: dict) -> None:
    """Fija el tope de memoria, la muerte junto al padre y una prioridad menor que la del sitio."""
    memoria = int(orden["memoria_mib"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memoria, memoria))
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # fuera de Linux el padre igual mata el grupo al llegar al tope
    if os.getppid() != int(orden["padre"]):
        sys.exit(3)  # el padre ya murió antes de pedirlo (comparar con 1 falla si el padre es PID 1)
    os.nice(10)


def _configurar(orden: dict) -> None:
    """Apunta Django a la misma base que el padre, con topes de tiempo en la sesión, y lo inicia."""
    import django
    from django.conf import settings

    milisegundos = int(float(orden["tiempo_s"]) * 1000)
    base = settings.DATABASES["default"]
    base.update(orden["bd"])
    base["CONN_MAX_AGE"] = 0
    base["OPTIONS"] = {
        **base.get("OPTIONS", {}),
        "application_name": f"territorio-trabajo-{orden['trabajo']}",
        "options": (
            f"-c statement_timeout={milisegundos} -c idle_in_transaction_session_timeout={milisegundos}"
        ),
    }
    settings.MEDIA_ROOT = orden["media_root"]
    django.setup()


def main() -> int:
    """Corre el trabajo indicado por stdin; devuelve el código de salida."""
    orden = json.loads(sys.stdin.buffer.read())
    _acotar(orden)
    _configurar(orden)
    from capas.trabajos.correr import trabajo_correr_aqui

    with os.fdopen(int(orden["tubo"]), "wb", buffering=0) as tubo:
        return trabajo_correr_aqui(
            orden["trabajo"],
            tubo=tubo,
            tiempo_s=float(orden["tiempo_s"]),
            memoria_mib=int(orden["memoria_mib"]),
        )


if __name__ == "__main__":
    sys.exit(main())
