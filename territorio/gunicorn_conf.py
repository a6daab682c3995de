"""Configuración de gunicorn de ``./run serve`` (y del benchmark HTTP, que la usa igual).

Workers gthread con keep-alive: el visor pide decenas de teselas seguidas por la misma conexión; un
worker sync cierra cada conexión tras responder y el cliente paga un connect (y el worker un
accept) por tesela. Con hilos, una conexión abierta no bloquea al worker y keep-alive la reutiliza
(medido en docs/rendimiento.md). Lo demás (bind, workers, registro) lo siguen dando ``run`` y las
variables de entorno, como antes.
"""

import os

worker_class = "gthread"
threads = int(os.environ.get("TERRITORIO_HILOS", "4"))
# Segundos que una conexión ociosa sigue abierta esperando la próxima petición del mismo cliente.
keepalive = int(os.environ.get("TERRITORIO_KEEPALIVE", "30"))
