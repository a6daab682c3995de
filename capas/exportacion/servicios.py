"""Servicio de exportación: resuelve capas con permisos, elige el formato y deja el archivo final.

Todo se escribe primero en una carpeta temporal junto al destino y se mueve al final con
``os.replace``: una exportación fallida no deja archivos a medias ni pisa una anterior.
"""

import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from capas.exportacion import formatos, gpkg, qgis_proyecto
from capas.registro import Capa, registro


@dataclass(frozen=True)
class Formato:
    """Formato de salida: clave, nombre para el usuario, extensión y tipo MIME del archivo."""

    clave: str
    nombre: str
    extension: str
    mime: str
    por_capa: Callable | None = None


FORMATOS = {
    f.clave: f
    for f in (
        Formato("gpkg", "GeoPackage", ".gpkg", "application/geopackage+sqlite3"),
        Formato("qgis", "Proyecto QGIS", ".qgz", "application/zip"),
        Formato("geojson", "GeoJSON", ".geojson", "application/geo+json", formatos.escribir_geojson),
        Formato("shp", "Shapefile (zip)", ".zip", "application/zip", formatos.escribir_shp),
        Formato("kml", "KML", ".kml", "application/vnd.google-earth.kml+xml", formatos.escribir_kml),
        Formato("csv", "CSV (WKT)", ".csv", "text/csv; charset=utf-8", formatos.escribir_csv),
    )
}
EXTENSION_ZIP = ".zip"


class FormatoNoSoportado(ValueError):
    """El formato pedido no es uno de ``FORMATOS``."""


class SinCapas(ValueError):
    """No hay ninguna capa que exportar (ninguna pedida o ninguna visible)."""


@dataclass
class Exportacion:
    """Resultado: archivo escrito, formato, capas exportadas y elementos por capa."""

    ruta: Path
    formato: Formato
    capas: list[Capa]
    elementos: dict[str, int] = field(default_factory=dict)
    segundos: float = 0.0

    @property
    def mime(self) -> str:
        """Devuelve el tipo MIME del archivo escrito (un zip si se empaquetaron varios archivos)."""
        return "application/zip" if en_zip(self.formato, self.capas) else self.formato.mime


def en_zip(formato: Formato, capas: list[Capa]) -> bool:
    """Indica si la exportación va en un zip: Shapefile siempre; GeoJSON, KML o CSV de varias capas."""
    return formato.clave == "shp" or (formato.por_capa is not None and len(capas) > 1)


def formato_por_clave(clave: str) -> Formato:
    """Devuelve el formato de la clave o lanza FormatoNoSoportado con las opciones válidas."""
    try:
        return FORMATOS[clave]
    except KeyError:
        raise FormatoNoSoportado(
            f"Formato no soportado «{clave}»: use uno de {', '.join(FORMATOS)}."
        ) from None


def capas_a_exportar(nombres: Iterable[str] | None, *, usuario=None, todas: bool = False) -> list[Capa]:
    """Devuelve las capas pedidas que el usuario puede ver (todas las visibles si no pide ninguna).

    ``todas=True`` omite los permisos (órdenes de consola en el servidor). Las capas salen en el
    orden del panel del visor (``registro.para_visor``), que es el del proyecto QGIS.
    """
    nombres = [n.strip() for n in (nombres or []) if n.strip()]
    en_visor = registro.para_visor(usuario, todas=todas)
    if not nombres:
        capas = en_visor
    else:
        pedidas = {n: registro.obtener(n, usuario, todas=todas) for n in nombres}
        posicion = {c.nombre: i for i, c in enumerate(en_visor)}
        capas = sorted(pedidas.values(), key=lambda c: posicion.get(c.nombre, len(posicion)))
    if not capas:
        raise SinCapas("No hay capas que exportar.")
    return capas


def nombre_sugerido(capas: list[Capa], formato: Formato) -> str:
    """Devuelve el nombre del archivo: la capa o «territorio-capas-AAAAMMDD» (con el formato si es zip)."""
    base = capas[0].nombre if len(capas) == 1 else f"territorio-capas-{timezone.localdate():%Y%m%d}"
    if en_zip(formato, capas):
        return f"{base}-{formato.clave}{EXTENSION_ZIP}"
    return base + formato.extension


def ruta_de_salida(salida: Path, formato: Formato, capas: list[Capa]) -> Path:
    """Devuelve el archivo a escribir: dentro de ``salida`` si es carpeta, con la extensión correcta.

    Un proyecto QGIS acepta .qgs (proyecto y GeoPackage lado a lado) o .qgz; lo que va en zip
    termina en .zip; el resto lleva la extensión de su formato.
    """
    if salida.is_dir():
        return salida / nombre_sugerido(capas, formato)
    if formato.clave == "qgis" and salida.suffix.lower() == ".qgs":
        return salida
    extension = EXTENSION_ZIP if en_zip(formato, capas) else formato.extension
    return salida if salida.suffix.lower() == extension else salida.with_name(salida.name + extension)


def exportar(
    *,
    capas: Iterable[str] | None,
    formato: str,
    salida: Path | str,
    usuario=None,
    todas: bool = False,
    al_terminar: Callable[[Capa, int], None] | None = None,
) -> Exportacion:
    """Exporta las capas al formato en ``salida`` (archivo, o carpeta existente) y devuelve el resultado.

    Verifica permisos con ``registro.obtener(nombre, usuario)``: una capa que el usuario no puede ver
    no existe para él. Varios archivos por capa (GeoJSON, KML o CSV de varias capas, Shapefile) van
    en un zip. Con el formato «qgis» y ``salida`` terminada en .qgs se escriben el .qgs y el
    GeoPackage lado a lado; si no, un .qgz con ambos. ``al_terminar(capa, n)`` avisa el avance.
    """
    elegido = formato_por_clave(formato)
    lista = capas_a_exportar(capas, usuario=usuario, todas=todas)
    return exportar_capas(lista, elegido, salida, al_terminar=al_terminar)


def exportar_capas(
    lista: list[Capa],
    elegido: Formato,
    salida: Path | str,
    *,
    al_terminar: Callable[[Capa, int], None] | None = None,
) -> Exportacion:
    """Exporta capas ya elegidas (y con permisos verificados) al formato; ver ``exportar``."""
    salida = ruta_de_salida(Path(salida), elegido, lista)
    salida.parent.mkdir(parents=True, exist_ok=True)
    inicio = time.perf_counter()
    resultado = Exportacion(ruta=salida, formato=elegido, capas=lista)
    with tempfile.TemporaryDirectory(dir=salida.parent, prefix=".exportando-") as temporal, _instantanea():
        trabajo = Path(temporal)
        if elegido.clave == "gpkg":
            resultado.elementos = gpkg.escribir_gpkg(lista, trabajo / salida.name, al_terminar=al_terminar)
            _mover(trabajo / salida.name, salida)
        elif elegido.clave == "qgis":
            resultado.elementos = _exportar_qgis(lista, trabajo, salida, al_terminar)
        else:
            resultado.elementos = _exportar_por_capa(lista, elegido, trabajo, salida, al_terminar)
    resultado.segundos = time.perf_counter() - inicio
    return resultado


def _exportar_qgis(capas, trabajo: Path, salida: Path, al_terminar) -> dict[str, int]:
    """Escribe el GeoPackage y el proyecto (.qgs al lado, o .qgz con ambos dentro)."""
    gpkg_temporal = trabajo / f"{salida.stem}.gpkg"
    elementos = gpkg.escribir_gpkg(capas, gpkg_temporal, al_terminar=al_terminar)
    if salida.suffix.lower() == ".qgs":
        qgis_proyecto.escribir_qgs(capas, trabajo / salida.name, gpkg_temporal.name)
        _mover(gpkg_temporal, salida.with_suffix(".gpkg"))
    else:
        qgis_proyecto.escribir_qgz(capas, trabajo / salida.name, gpkg_temporal)
    _mover(trabajo / salida.name, salida)
    return elementos


def _exportar_por_capa(capas, formato: Formato, trabajo: Path, salida: Path, al_terminar) -> dict[str, int]:
    """Escribe un archivo (o conjunto, en Shapefile) por capa; varios archivos van en un zip."""
    elementos, archivos = {}, []
    for capa in capas:
        escritos, elementos[capa.nombre] = formato.por_capa(capa, trabajo)
        archivos.extend(escritos)
        if al_terminar:
            al_terminar(capa, elementos[capa.nombre])
    if en_zip(formato, capas):
        empaquetado = trabajo / f"{salida.stem}{EXTENSION_ZIP}"
        with zipfile.ZipFile(empaquetado, "w", compression=zipfile.ZIP_DEFLATED) as archivo:
            for ruta in archivos:
                archivo.write(ruta, ruta.name)
        _mover(empaquetado, salida)
    else:
        _mover(archivos[0], salida)
    return elementos


def _mover(origen: Path, destino: Path) -> None:
    """Mueve el archivo terminado a su destino en un solo paso (misma partición)."""
    os.replace(origen, destino)


@contextmanager
def _instantanea():
    """Lee todas las capas desde una misma instantánea de la base (REPEATABLE READ, solo lectura).

    Dentro de una transacción ya abierta (pruebas, ATOMIC_REQUESTS) no se puede cambiar el nivel
    de aislamiento: se usa la transacción del llamador.
    """
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield
