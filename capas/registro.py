"""Registro de capas: las apps declaran las suyas en ``<app>/capas.py``; las importadas vienen de la base.

El registro se llena en ``CapasConfig.ready()`` y se congela: después del arranque nadie registra
capas estáticas. Las capas importadas (``CapaReferencia``) se leen de la base en cada consulta, así
que aparecen y desaparecen sin reiniciar. El nombre (slug) de una capa es su identificador en todas
partes: tabla del GeoPackage, colección OGC API, ruta de teselas y listas ``--capas``.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from capas.estilos import Estilo
from capas.filtros import Filtro
from capas.fuentes import FuenteSQL
from capas.geometria import tipo_simple

RE_NOMBRE = re.compile(r"^[a-z][a-z0-9_-]{1,62}$")
TIPOS_GEOMETRIA = ("MultiPoint", "MultiLineString", "MultiPolygon", "Point", "LineString", "Polygon")
# Cómo la dibuja el visor: GeoJSON por extensión (capas chicas o editables) o teselas MVT (grandes).
MODOS = ("geojson", "teselas")


class CapaNoEncontrada(LookupError):
    """No hay una capa con ese nombre (o el usuario no puede verla)."""


@dataclass(frozen=True)
class Capa:
    """Capa publicable: identidad, fuente SQL, estilo, grupo y quién puede leerla."""

    nombre: str
    titulo: str
    grupo: str
    tipo_geometria: str
    fuente: FuenteSQL
    estilo: Estilo = field(default_factory=Estilo)
    descripcion: str = ""
    publica: bool = False
    permiso: str | None = None
    origen: str = "dominio"
    # Visor y proyecto QGIS: modo de dibujo, si abre encendida y el nombre de URL de la ficha de un
    # elemento (``reverse(enlace, args=[pk])``); sin ficha propia, el visor enlaza la de OGC API.
    modo: str = "geojson"
    visible: bool = True
    enlace: str | None = None
    # Filtros que el visor ofrece (``capas.filtros``) y expresiones SQL sobre ``t`` en que busca
    # ``/capas/buscar/`` (la primera es la etiqueta del resultado: el nombre del elemento).
    filtros: tuple[Filtro, ...] = ()
    busqueda: tuple[str, ...] = ()

    def __post_init__(self):
        if not RE_NOMBRE.match(self.nombre):
            raise ValueError(
                f"Nombre de capa inválido «{self.nombre}»: minúsculas, dígitos, - o _, empezando con letra."
            )
        if self.tipo_geometria not in TIPOS_GEOMETRIA:
            raise ValueError(f"Tipo de geometría no soportado: {self.tipo_geometria}")
        if self.modo not in MODOS:
            raise ValueError(f"Modo de dibujo desconocido: {self.modo}")

    def visible_para(self, usuario) -> bool:
        """Indica si el usuario (o un anónimo) puede leer la capa."""
        if self.publica:
            return True
        if usuario is None or not usuario.is_authenticated or not usuario.is_active:
            return False
        return self.permiso is None or usuario.has_perm(self.permiso)


class Proveedor(Protocol):
    """Fuente de capas dinámicas (p. ej. las importadas, que viven en la base)."""

    def todas(self) -> Iterable[Capa]:
        """Devuelve todas sus capas."""

    def obtener(self, nombre: str) -> Capa | None:
        """Devuelve la capa ``nombre`` o None."""


class Registro:
    """Colección de capas estáticas (congelada tras el arranque) y proveedores dinámicos."""

    def __init__(self):
        self._capas: dict[str, Capa] = {}
        self._proveedores: list[Proveedor] = []
        self._congelado = False

    def registrar(self, capa: Capa) -> Capa:
        """Agrega una capa estática; falla si el registro ya está congelado o el nombre se repite."""
        if self._congelado:
            raise RuntimeError("El registro de capas está congelado: registre en <app>/capas.py.")
        if capa.nombre in self._capas:
            raise ValueError(f"Capa duplicada: {capa.nombre}")
        self._capas[capa.nombre] = capa
        return capa

    def agregar_proveedor(self, proveedor: Proveedor) -> None:
        """Agrega una función que entrega capas dinámicas (p. ej. las importadas)."""
        if self._congelado:
            raise RuntimeError("El registro de capas está congelado.")
        self._proveedores.append(proveedor)

    def congelar(self) -> None:
        """Impide nuevos registros (se llama al terminar el arranque)."""
        self._congelado = True

    def todas(self, usuario=None, *, todas: bool = False) -> list[Capa]:
        """Devuelve las capas visibles para el usuario (o todas si ``todas``), por grupo y título."""
        capas = list(self._capas.values())
        for proveedor in self._proveedores:
            capas.extend(proveedor.todas())
        if not todas:
            capas = [c for c in capas if c.visible_para(usuario)]
        return sorted(capas, key=lambda c: (c.grupo, c.titulo))

    def para_visor(self, usuario=None, *, todas: bool = False) -> list[Capa]:
        """Devuelve las capas en el orden del panel del visor y del proyecto QGIS (de arriba abajo).

        Las del dominio van arriba (puntos sobre líneas sobre áreas, para que nada tape un punto) y
        las de referencia importadas debajo; dentro de cada nivel, por grupo y título.
        """
        return sorted(self.todas(usuario, todas=todas), key=_nivel_en_visor)

    def obtener(self, nombre: str, usuario=None, *, todas: bool = False) -> Capa:
        """Devuelve la capa ``nombre`` si existe y el usuario puede verla; si no, CapaNoEncontrada."""
        capa = self._capas.get(nombre)
        if capa is None:
            capa = next((c for p in self._proveedores if (c := p.obtener(nombre))), None)
        if capa is None or not (todas or capa.visible_para(usuario)):
            raise CapaNoEncontrada(f"No existe la capa «{nombre}».")
        return capa

    def es_estatica(self, nombre: str) -> bool:
        """Indica si ``nombre`` es de una capa declarada por una app (no se puede reutilizar)."""
        return nombre in self._capas


def _nivel_en_visor(capa: Capa) -> tuple:
    """Clave de orden del visor: origen, forma (puntos primero), grupo y título."""
    forma = {"POINT": 0, "LINESTRING": 1}.get(tipo_simple(capa.tipo_geometria), 2)
    return (capa.origen != "dominio", forma, capa.grupo, capa.titulo)


registro = Registro()
