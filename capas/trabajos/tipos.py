"""Tipos de trabajo: qué función corre en el proceso hijo, con qué límites y cómo se muestra.

Un tipo se registra una vez (``tipo_registrar``, desde ``AppConfig.ready()``) con rutas importables,
para que el proceso hijo las resuelva sin depender de quién encoló el trabajo. Así capas no
importa apps: una app que declare análisis registra sus propios tipos.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


class TrabajoRechazado(Exception):
    """El trabajo no se hizo por un motivo que se explica al usuario (en español) y no dejó nada."""

    def __init__(self, mensaje: str, *, detalles: list[str] | None = None):
        super().__init__(mensaje)
        self.mensaje = mensaje
        self.detalles = list(detalles or [])


@dataclass(frozen=True)
class TipoTrabajo:
    """Declaración de un tipo de trabajo: rutas importables de sus funciones y textos para el usuario."""

    nombre: str
    # «La importación»: sujeto de los mensajes de límite («La importación superó…»).
    sujeto: str
    # «Importación de capa»: encabezado de la página del trabajo.
    titulo: str
    # f(parametros: dict, progreso) -> dict (resultado JSON); corre en el hijo, dentro de una transacción.
    funcion: str
    # f(parametros: dict) -> None: borra lo que el hijo pudo dejar fuera de la base si murió a medias.
    limpiar: str = ""
    # Plantilla del resultado en la página del trabajo y f(trabajo) -> dict con su contexto.
    plantilla: str = ""
    contexto: str = ""

    def llamar(self, atributo: str, *argumentos):
        """Importa y llama la función declarada en ``atributo`` (o no hace nada si no hay)."""
        ruta = getattr(self, atributo)
        return import_string(ruta)(*argumentos) if ruta else None


@dataclass(frozen=True)
class Limites:
    """Tope de tiempo de reloj (s) y de memoria virtual (MiB) de un trabajo."""

    tiempo_s: float
    memoria_mib: int


_TIPOS: dict[str, TipoTrabajo] = {}


def tipo_registrar(tipo: TipoTrabajo) -> None:
    """Registra un tipo de trabajo (una vez por nombre)."""
    if _TIPOS.get(tipo.nombre, tipo) != tipo:
        raise ValueError(f"El tipo de trabajo «{tipo.nombre}» ya está registrado con otra definición.")
    _TIPOS[tipo.nombre] = tipo


def tipo_de(nombre: str) -> TipoTrabajo:
    """Devuelve el tipo registrado con ese nombre (KeyError si no lo está)."""
    return _TIPOS[nombre]


def tipo_para_mostrar(nombre: str) -> TipoTrabajo:
    """Devuelve el tipo registrado o, si ya no existe (se quitó su app), uno genérico sin funciones."""
    return _TIPOS.get(nombre) or TipoTrabajo(nombre=nombre, sujeto="El trabajo", titulo="Trabajo", funcion="")


def limites_de(nombre: str) -> Limites:
    """Devuelve los límites del tipo: los de CAPAS_TRABAJOS_LIMITES[tipo] o los generales."""
    propios = settings.CAPAS_TRABAJOS_LIMITES.get(nombre, {})
    return Limites(
        tiempo_s=float(propios.get("tiempo_s", settings.CAPAS_TRABAJOS_TIEMPO_S)),
        memoria_mib=int(propios.get("memoria_mib", settings.CAPAS_TRABAJOS_MEMORIA_MIB)),
    )
