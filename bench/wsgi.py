"""Cliente mínimo que llama a la aplicación WSGI del sitio, la misma que sirve gunicorn.

El ``Client`` de pruebas de Django agrega trabajo propio de las pruebas (copia la petición, guarda
plantillas y contexto, arma la respuesta con atributos extra): en una tesela de 2 ms eso pesa. Aquí
se mide lo que el servidor ejecuta por petición, sin la red.
"""

import io
import sys
from dataclasses import dataclass

from territorio.wsgi import application


@dataclass
class Respuesta:
    """Estado y cuerpo completo de una respuesta."""

    status_code: int
    content: bytes


class ClienteWSGI:
    """Hace GET a la aplicación WSGI con las cookies dadas (la sesión de un usuario)."""

    def __init__(self, cookies):
        self.cookies = cookies
        self.cookie = "; ".join(f"{nombre}={morsel.value}" for nombre, morsel in cookies.items())

    def get(self, ruta: str) -> Respuesta:
        """Devuelve la respuesta a ``GET ruta`` tras leer el cuerpo entero (también si se transmite)."""
        ruta, _, consulta = ruta.partition("?")
        entorno = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": ruta,
            "QUERY_STRING": consulta,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": self.cookie,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        estado = []
        cuerpo = application(entorno, lambda status, _cabeceras, _exc=None: estado.append(status))
        try:
            contenido = b"".join(cuerpo)
        finally:
            if hasattr(cuerpo, "close"):
                cuerpo.close()
        return Respuesta(int(estado[0].split()[0]), contenido)
