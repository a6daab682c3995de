"""Restaura un respaldo: verifica todo antes de tocar nada, luego pg_restore en una transacción y media.

Orden: (1) extraer y verificar cada sha256 en un temporal; (2) exigir base vacía (o --forzar); (3) no
pisar archivos distintos de MEDIA_ROOT (o --forzar); (4) dejar los archivos junto a su destino con
nombre temporal; (5) pg_restore --single-transaction --exit-on-error; (6) solo si la base quedó,
renombrar los archivos a su lugar; (7) comparar las filas restauradas con el manifiesto.
"""

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections

from apps.nucleo.bd.privilegios import privilegios_app_otorgar
from apps.nucleo.respaldo import RespaldoError
from apps.nucleo.respaldo.archivo import DUMP, MEDIA, extraer_verificado
from apps.nucleo.respaldo.postgres import (
    Conexion,
    binario,
    conexion,
    conexion_directa,
    correr,
    extensiones,
    filas_por_tabla,
    relaciones,
    tablas_de_configuracion,
    version_mayor,
)

_SUFIJO = ".restaurando"
# Línea del índice de pg_restore --list: «4329; 0 39770 TABLE DATA public spatial_ref_sys dueño».
_ENTRADA = re.compile(r"^\d+; \d+ \d+ (?P<resto>.+)$")


@dataclass
class ResumenRestauracion:
    """Lo restaurado: tablas y filas de la base, archivos copiados y los que ya estaban iguales."""

    tablas: int
    filas: int
    archivos_copiados: int
    archivos_iguales: int
    manifiesto: dict


@dataclass
class _Archivo:
    """Un archivo del respaldo camino a MEDIA_ROOT."""

    extraido: Path
    destino: Path
    preparado: Path | None = None


def respaldo_restaurar(*, archivo: Path, forzar: bool = False, alias: str = "default") -> ResumenRestauracion:
    """Restaura ``archivo`` en la base del alias y en MEDIA_ROOT; ante cualquier error previo, no toca nada.

    Sin ``forzar`` exige una base sin tablas propias y no reemplaza archivos distintos de MEDIA_ROOT.
    Con ``forzar``, pg_restore --clean reemplaza los objetos del respaldo que ya existan (en la misma
    transacción: si algo falla, la base queda como estaba) y los archivos se sobrescriben.
    """
    archivo = Path(archivo)
    if not archivo.is_file():
        raise RespaldoError(f"No existe el respaldo «{archivo}».")
    base = conexion(alias)
    media = Path(settings.MEDIA_ROOT).absolute()
    with tempfile.TemporaryDirectory(prefix="territorio-restaurar-") as trabajo:
        trabajo = Path(trabajo)
        manifiesto = extraer_verificado(archivo, trabajo)
        cut = settings.TERRITORIO_COMUNA_CUT
        if manifiesto.get("comuna_cut") != cut and not forzar:
            raise RespaldoError(
                f"El respaldo es de la comuna {manifiesto.get('comuna_cut')} y este sitio está configurado "
                f"para la {cut} (TERRITORIO_COMUNA_CUT); use --forzar si es lo que busca. Nada se restauró."
            )
        with conexion_directa(alias) as crudo:
            ocupada = relaciones(crudo, solo_tablas=False)
            presentes = extensiones(crudo)
            configuracion = tablas_de_configuracion(crudo)
            mayor = version_mayor(crudo)
            crudo.rollback()
        if ocupada and not forzar:
            raise RespaldoError(
                f"La base «{base.base}» no está vacía ({len(ocupada)} tablas u otras relaciones); "
                "restaure en una base vacía o use --forzar para reemplazar su contenido. No se restauró nada."
            )
        copiar, iguales = _archivos_a_copiar(trabajo, media, forzar=forzar)
        try:
            for pendiente in copiar:
                pendiente.preparado = _preparar(pendiente)
            _pg_restore(
                base,
                trabajo,
                mayor=mayor,
                presentes=presentes,
                configuracion=configuracion,
                limpiar=bool(ocupada),
            )
        except BaseException:
            for pendiente in copiar:
                if pendiente.preparado:
                    pendiente.preparado.unlink(missing_ok=True)
            raise
        for pendiente in copiar:
            os.replace(pendiente.preparado, pendiente.destino)
    # Django pudo guardar una conexión abierta antes del reemplazo de las tablas: se descarta.
    connections[alias].close()
    privilegios_app_otorgar(rol=settings.TERRITORIO_BD_ROL_APP, using=alias)
    return _verificar_filas(alias, manifiesto, copiados=len(copiar), iguales=iguales)


def _archivos_a_copiar(trabajo: Path, media: Path, *, forzar: bool) -> tuple[list[_Archivo], int]:
    """Devuelve los archivos extraídos que hay que llevar a MEDIA_ROOT y cuántos ya estaban idénticos."""
    raiz = trabajo / MEDIA
    copiar, iguales, distintos = [], 0, []
    extraidos = sorted(p for p in raiz.rglob("*") if p.is_file()) if raiz.is_dir() else []
    for extraido in extraidos:
        destino = media / extraido.relative_to(raiz)
        if destino.is_symlink() or (destino.exists() and not destino.is_file()):
            raise RespaldoError(f"«{destino}» existe y no es un archivo común; no se restauró nada.")
        if destino.is_file():
            if _sha256(destino) == _sha256(extraido):
                iguales += 1
                continue
            distintos.append(str(destino.relative_to(media)))
        copiar.append(_Archivo(extraido=extraido, destino=destino))
    if distintos and not forzar:
        muestra = ", ".join(distintos[:5]) + (f" y {len(distintos) - 5} más" if len(distintos) > 5 else "")
        raise RespaldoError(
            f"MEDIA_ROOT ({media}) ya tiene archivos distintos de los del respaldo ({muestra}); use --forzar "
            "para reemplazarlos. No se restauró nada."
        )
    return copiar, iguales


def _preparar(pendiente: _Archivo) -> Path:
    """Deja el archivo junto a su destino con nombre temporal (el rename final es atómico)."""
    pendiente.destino.parent.mkdir(parents=True, exist_ok=True)
    preparado = pendiente.destino.with_name(f".{pendiente.destino.name}{_SUFIJO}")
    shutil.copyfile(pendiente.extraido, preparado)
    return preparado


def _pg_restore(
    base: Conexion, trabajo: Path, *, mayor: int, presentes: set, configuracion: set, limpiar: bool
) -> None:
    """Corre pg_restore en una sola transacción como el rol que conecta (dueño de lo que crea)."""
    dump = trabajo / DUMP
    pg_restore = binario("pg_restore", mayor)
    indice = correr([str(pg_restore), "--list", str(dump)], base, que="pg_restore --list").stdout
    # Las tablas de configuración de una extensión que la base ya tiene (spatial_ref_sys) son de su
    # dueño: si el respaldo no agrega filas propias, no hay nada que copiar en ellas.
    vacias = {
        (esquema, tabla)
        for esquema, tabla in configuracion
        if _datos_vacios(pg_restore, dump, esquema, tabla, base)
    }
    lista = trabajo / "lista.txt"
    lista.write_text(_lista_de_restauracion(indice, presentes=presentes, sin_datos=vacias))
    # Sin los GRANT del respaldo: nombran roles (la aplicación, el lector de QGIS) que en la máquina de
    # destino pueden no existir o llamarse distinto; los de la aplicación se otorgan de nuevo después.
    opciones = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-acl", "--use-list", str(lista)]
    if limpiar:
        opciones += ["--clean", "--if-exists"]
    try:
        correr(base.orden(pg_restore, *opciones, str(dump)), base, que="pg_restore")
    except RespaldoError as error:
        raise RespaldoError(f"{error}. La base quedó como estaba y no se copiaron archivos.")


def _datos_vacios(pg_restore: Path, dump: Path, esquema: str, tabla: str, base: Conexion) -> bool:
    """Dice si el respaldo no trae filas para ``esquema.tabla`` (su COPY está vacío o no existe)."""
    orden = [str(pg_restore), "--data-only", "--schema", esquema, "--table", tabla, "--file", "-", str(dump)]
    lineas = correr(orden, base, que="pg_restore --data-only").stdout.splitlines()
    dentro = False
    for linea in lineas:
        if linea.startswith("COPY "):
            dentro = True
        elif dentro:
            return linea == "\\."
    return True


def _lista_de_restauracion(indice: str, *, presentes: set, sin_datos: set) -> str:
    """Devuelve el índice de pg_restore sin lo que la base ya tiene y el rol que restaura no puede tocar.

    Con la base preparada por su dueño (PostGIS ya creado por un superusuario), el rol que restaura no
    puede volver a crear ni comentar la extensión: basta con la que hay. Tampoco copia en sus tablas de
    configuración si el respaldo no trae filas para ellas.
    """
    lineas = []
    for linea in indice.splitlines():
        if _omitir(linea, presentes=presentes, sin_datos=sin_datos):
            linea = f";{linea}"
        lineas.append(linea)
    return "\n".join(lineas) + "\n"


def _omitir(linea: str, *, presentes: set, sin_datos: set) -> bool:
    """Dice si una línea del índice («id; oid oid TIPO esquema nombre dueño») es de lo que se omite."""
    entrada = _ENTRADA.match(linea)
    if not entrada:
        return False
    partes = entrada["resto"].split()
    if partes[:2] == ["EXTENSION", "-"] and len(partes) > 2:
        return partes[2] in presentes
    if partes[:3] == ["COMMENT", "-", "EXTENSION"] and len(partes) > 3:
        return partes[3] in presentes
    if partes[:2] == ["TABLE", "DATA"] and len(partes) > 3:
        return (partes[2], partes[3]) in sin_datos
    return False


def _verificar_filas(alias: str, manifiesto: dict, *, copiados: int, iguales: int) -> ResumenRestauracion:
    """Compara las filas de cada tabla restaurada con el manifiesto; lanza RespaldoError si difieren."""
    with conexion_directa(alias) as crudo:
        restauradas = filas_por_tabla(crudo)
    esperadas = manifiesto["base"]["tablas"]
    distintas = sorted(t for t, n in esperadas.items() if restauradas.get(t) != n)
    if distintas:
        detalle = ", ".join(f"{t} {restauradas.get(t)} ≠ {esperadas[t]}" for t in distintas[:5])
        raise RespaldoError(f"La base restaurada no coincide con el manifiesto ({detalle}).")
    return ResumenRestauracion(
        tablas=len(esperadas),
        filas=sum(esperadas.values()),
        archivos_copiados=copiados,
        archivos_iguales=iguales,
        manifiesto=manifiesto,
    )


def _sha256(ruta: Path) -> str:
    """Devuelve el sha256 de un archivo, leído por bloques."""
    suma = hashlib.sha256()
    with ruta.open("rb") as archivo:
        while bloque := archivo.read(1024 * 1024):
            suma.update(bloque)
    return suma.hexdigest()
