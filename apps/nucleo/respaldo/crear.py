"""Crea el respaldo: pg_dump -Fc de una instantánea, los archivos de MEDIA_ROOT y el manifiesto."""

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psycopg
from django.conf import settings
from django.utils import timezone
from psycopg import sql

from apps.nucleo.respaldo import RespaldoError
from apps.nucleo.respaldo.archivo import DUMP, FORMATO, MEDIA, VERSION_FORMATO, Escritor
from apps.nucleo.respaldo.postgres import (
    binario,
    conexion,
    conexion_directa,
    correr,
    filas_por_tabla,
    version_mayor,
    versiones,
)
from capas.models import CapaRaster

# Archivos a medio escribir por una importación o una restauración: no son datos del sitio.
_TEMPORALES = (".parcial", ".restaurando")


@dataclass
class ResumenRespaldo:
    """Lo que quedó en el respaldo: ruta, tamaño, tablas, filas y archivos, y los avisos."""

    ruta: Path
    bytes: int
    tablas: int
    filas: int
    archivos_media: int
    avisos: list[str] = field(default_factory=list)


def ruta_por_defecto(ahora: datetime | None = None) -> Path:
    """Devuelve var/respaldos/territorio-<CUT>-<fecha-hora>.tar."""
    ahora = timezone.localtime(ahora or timezone.now())
    nombre = f"territorio-{settings.TERRITORIO_COMUNA_CUT}-{ahora:%Y%m%d-%H%M%S}.tar"
    return Path(settings.BASE_DIR) / "var" / "respaldos" / nombre


def respaldo_crear(*, salida: Path | None = None, alias: str = "default") -> ResumenRespaldo:
    """Respalda la base y MEDIA_ROOT en un solo archivo (tar o tar.gz, 0600) con manifiesto y sumas.

    Los conteos de filas y el volcado salen de la misma instantánea (pg_export_snapshot), así que el
    manifiesto describe exactamente lo que quedó en ``base.dump`` aunque el sitio siga en uso.
    """
    destino = Path(salida or ruta_por_defecto()).absolute()
    if destino.exists():
        raise RespaldoError(f"«{destino}» ya existe; elija otra ruta con --salida.")
    media = Path(settings.MEDIA_ROOT)
    base = conexion(alias)
    destino.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with (
        conexion_directa(alias) as crudo,
        tempfile.TemporaryDirectory(prefix=".territorio-respaldo-", dir=destino.parent) as trabajo,
    ):
        crudo.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        crudo.read_only = True
        instantanea = crudo.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tablas = filas_por_tabla(crudo)
        datos_base = {"nombre": base.base, **versiones(crudo), "tablas": tablas}
        avisos = _rasters_sin_archivo(crudo, media)
        dump = Path(trabajo) / DUMP
        pg_dump = binario("pg_dump", version_mayor(crudo))
        correr(
            base.orden(pg_dump, "--format=custom", f"--snapshot={instantanea}", "--file", str(dump)),
            base,
            que="pg_dump",
        )
        escritor = Escritor(destino)
        try:
            escritor.agregar(dump, DUMP)
            for ruta in archivos_media(media):
                escritor.agregar(ruta, f"{MEDIA}/{ruta.relative_to(media).as_posix()}")
            escritor.confirmar(_manifiesto(datos_base, escritor.archivos))
        except BaseException:
            escritor.descartar()
            raise
    return ResumenRespaldo(
        ruta=destino,
        bytes=destino.stat().st_size,
        tablas=len(tablas),
        filas=sum(tablas.values()),
        archivos_media=len(escritor.archivos) - 1,
        avisos=avisos,
    )


def archivos_media(media: Path) -> list[Path]:
    """Devuelve los archivos comunes bajo MEDIA_ROOT (sin enlaces ni temporales), en orden."""
    if not media.is_dir():
        return []
    encontrados = []
    for directorio, subdirectorios, nombres in os.walk(media):
        subdirectorios.sort()
        for nombre in sorted(nombres):
            ruta = Path(directorio) / nombre
            if ruta.is_symlink() or not ruta.is_file():
                continue
            if nombre.startswith(".") and nombre.endswith(_TEMPORALES):
                continue
            encontrados.append(ruta)
    return encontrados


def _rasters_sin_archivo(crudo, media: Path) -> list[str]:
    """Devuelve un aviso por cada capa ráster de la instantánea cuyo GeoTIFF no está en MEDIA_ROOT."""
    tabla = CapaRaster._meta.db_table
    if crudo.execute("SELECT to_regclass(%s)", [tabla]).fetchone()[0] is None:
        return []
    consulta = sql.SQL("SELECT nombre, archivo FROM {} ORDER BY nombre").format(sql.Identifier(tabla))
    return [
        f"La capa ráster «{nombre}» no tiene su archivo {archivo} en MEDIA_ROOT: se respalda sin él."
        for nombre, archivo in crudo.execute(consulta)
        if not (media / archivo).is_file()
    ]


def _manifiesto(datos_base: dict, archivos: list[dict]) -> dict:
    """Devuelve el manifiesto: formato, fecha, commit, comuna, versiones, filas y sumas por archivo."""
    return {
        "formato": FORMATO,
        "version": VERSION_FORMATO,
        "creado": timezone.now().isoformat(),
        "territorio_commit": _commit(),
        "comuna_cut": settings.TERRITORIO_COMUNA_CUT,
        "base": datos_base,
        "archivos": archivos,
    }


def _commit() -> str | None:
    """Devuelve el commit de Territorio que corre (None fuera de un repositorio git)."""
    try:
        resultado = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = resultado.stdout.strip()
    return commit if resultado.returncode == 0 and len(commit) == 40 else None
