"""Caché de teselas en la memoria de cada proceso, con clave por versión de capa.

Cada entrada guarda (versión, contenido, ETag, contenido gzip) bajo la sentencia de la tesela y sus
parámetros (capa, capa_id, z, x, y): si cambia la definición de la capa cambia la clave. La versión
no se adivina: cada petición la pide a la base en la misma sentencia que, solo si no coincide,
arma la tesela (capas/servicio/teselas.py). Así ninguna escritura deja una tesela vieja, y una
tesela tibia cuesta una ida a la base sin ST_AsMVT.

En memoria y no en archivos ni en una tabla UNLOGGED: con la versión consultada igual en cada
petición, la copia en memoria es la más barata de leer (medido en docs/rendimiento.md); el costo es
que cada worker de gunicorn llena la suya. Acotada en bytes (LRU).
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings

# Bytes por proceso (contenido + gzip). ~64 MB guardan miles de teselas de parcelas.
LIMITE_BYTES = getattr(settings, "TERRITORIO_CACHE_TESELAS_BYTES", 64 * 1024 * 1024)


@dataclass(frozen=True)
class Entrada:
    """Tesela guardada: versión de la capa con que se armó, bytes y su ETag."""

    version: int
    contenido: bytes
    etag: str
    gzip: bytes | None = None

    @property
    def tamano(self) -> int:
        """Devuelve los bytes que ocupa."""
        return len(self.contenido) + len(self.gzip or b"") + 200


class CacheTeselas:
    """LRU acotada en bytes, segura entre hilos (workers gthread)."""

    def __init__(self, limite_bytes: int = LIMITE_BYTES):
        self.limite = limite_bytes
        self._datos: OrderedDict[tuple, Entrada] = OrderedDict()
        self._bytes = 0
        self._candado = threading.Lock()

    def obtener(self, clave: tuple) -> Entrada | None:
        """Devuelve la entrada (de cualquier versión: quien llama compara) o None."""
        with self._candado:
            entrada = self._datos.get(clave)
            if entrada is not None:
                self._datos.move_to_end(clave)
            return entrada

    def guardar(self, clave: tuple, entrada: Entrada) -> None:
        """Guarda la entrada y desaloja las menos usadas si se pasa del límite."""
        if entrada.tamano > self.limite:
            return
        with self._candado:
            anterior = self._datos.pop(clave, None)
            if anterior is not None:
                self._bytes -= anterior.tamano
            self._datos[clave] = entrada
            self._bytes += entrada.tamano
            while self._bytes > self.limite:
                _, fuera = self._datos.popitem(last=False)
                self._bytes -= fuera.tamano

    def vaciar(self) -> None:
        """Olvida todo (pruebas y benchmark de caché fría)."""
        with self._candado:
            self._datos.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._datos)


cache = CacheTeselas()
