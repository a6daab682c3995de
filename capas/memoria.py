"""Valores recordados unos segundos en el proceso: capas importadas y usuarios de las lecturas.

Lo cambiado en el proceso lo olvidan las señales al instante; lo cambiado en otros procesos se ve al
vencer ``vigencia_s``.
"""

import time
from collections.abc import Callable, Hashable


class Memoria:
    """Memoria por clave con vigencia corta; ``recordar_nulos=False`` no guarda los None."""

    def __init__(self, vigencia_s: float, *, recordar_nulos: bool = True):
        self.vigencia_s = vigencia_s
        self.recordar_nulos = recordar_nulos
        self._valores: dict[Hashable, tuple[float, object]] = {}

    def obtener(self, clave: Hashable, cargar: Callable[[], object]):
        """Devuelve el valor recordado de ``clave`` o, si no hay o venció, el que da ``cargar()``."""
        ahora = time.monotonic()
        recordado = self._valores.get(clave)
        if recordado and ahora - recordado[0] < self.vigencia_s:
            return recordado[1]
        valor = cargar()
        if valor is not None or self.recordar_nulos:
            self._valores[clave] = (ahora, valor)
        return valor

    def olvidar_uno(self, clave: Hashable) -> None:
        """Olvida una clave (se vuelve a cargar en la próxima consulta)."""
        self._valores.pop(clave, None)

    def olvidar(self, **_senal) -> None:
        """Olvida todo (sirve de receptor de señales)."""
        self._valores.clear()
