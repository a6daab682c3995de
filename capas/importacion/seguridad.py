"""Defensas de la importación: rutas locales, límites de tamaño, zip seguro y lista blanca de formatos.

Nada escrito por el usuario llega a GDAL sin pasar por aquí: la ruta debe ser un archivo local
(nunca ``/vsi*``, una URL ni un prefijo de controlador), su extensión decide el único controlador
aceptado y el contenido se verifica por su firma antes de abrirlo (un VRT renombrado a .geojson se
rechaza antes de que GDAL lo interprete). Todo se copia o extrae a un directorio temporal propio,
que se borra siempre.
"""

import logging
import lzma
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from capas.gdal_seguro import blindar
from capas.importacion.contenido import verificar_contenido, verificar_prjs
from capas.importacion.informe import ImportacionRechazada

logger = logging.getLogger(__name__)

MIB = 1024 * 1024
# Errores de zipfile al descomprimir una entrada dañada: CRC (BadZipFile), flujo roto (zlib, lzma,
# bz2 como OSError), datos que terminan antes de tiempo (EOFError), método no soportado.
_ERRORES_ZIP = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError, OSError)


@dataclass(frozen=True)
class Limites:
    """Límites de tamaño de una entrega (los valores por defecto son los del sistema)."""

    # Archivo entregado (zip o suelto): una capa comunal rara vez pasa de decenas de MiB.
    archivo: int = 512 * MIB
    # Suma de lo descomprimido de un zip o KMZ.
    descomprimido: int = 2048 * MIB
    # Entradas de un zip: un shapefile trae 3–8 archivos; miles delatan una bomba de entradas.
    entradas: int = 200
    # Razón descomprimido/comprimido por entrada: un DBF con campos rellenos de espacios llega a
    # ~100; las bombas zip superan 1000.
    razon: float = 200.0
    # Bajo este tamaño descomprimido la razón no importa (no puede agotar el disco).
    minimo_para_razon: int = 1 * MIB


LIMITES = Limites()

# Extensión → controlador GDAL único que se acepta para ella.
VECTORIALES = {
    ".shp": "ESRI Shapefile",
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".kml": "KML",
    ".kmz": "KML",
    ".csv": "CSV",
}
RASTER = {".tif": "GTiff", ".tiff": "GTiff"}
# Controladores que pueden abrir cada formato, si no es solo el suyo: LIBKML lee KML cuando GDAL lo
# trae. Los demás no existen en el proceso (capas.gdal_seguro).
OTROS_QUE_ABREN = {"KML": frozenset({"LIBKML"})}
# Complementos de un shapefile que se copian o extraen junto al .shp.
COMPLEMENTOS_SHP = (".shx", ".dbf", ".prj", ".cpg")
EXTENSIONES = frozenset({".zip", *VECTORIALES, *RASTER})
# Prefijos que GDAL interpreta como sistemas de archivos virtuales, red o conexión a un controlador.
_RE_PREFIJO_GDAL = re.compile(r"^[a-z][a-z0-9_]+:", re.IGNORECASE)


@dataclass
class Entrada:
    """Conjunto de datos listo para abrir: ruta dentro del directorio temporal y su controlador."""

    ruta: Path
    controlador: str
    origen: str
    avisos: list[str] = field(default_factory=list)

    @property
    def controladores(self) -> frozenset[str]:
        """Devuelve los controladores GDAL que pueden abrir la entrada: el de su extensión (y LIBKML)."""
        return frozenset({self.controlador}) | OTROS_QUE_ABREN.get(self.controlador, frozenset())

    @property
    def es_raster(self) -> bool:
        """Indica si la entrada es un ráster (GeoTIFF)."""
        return self.controlador == "GTiff"


@contextmanager
def directorio_temporal() -> Iterator[Path]:
    """Entrega un directorio temporal propio (0700) y lo borra al salir, pase lo que pase."""
    ruta = Path(tempfile.mkdtemp(prefix="territorio-importar-"))
    try:
        yield ruta
    finally:
        shutil.rmtree(ruta, ignore_errors=True)


def validar_ruta(ruta, *, limites: Limites = LIMITES) -> Path:
    """Devuelve la ruta local resuelta de un archivo aceptable o lanza ImportacionRechazada."""
    texto = str(ruta)
    camino = Path(texto).expanduser().resolve()
    # GDAL nunca ve este nombre (abre una copia con nombre propio): se rechaza para explicar el error.
    virtual = texto.lower().startswith("/vsi") or "://" in texto
    if virtual or (_RE_PREFIJO_GDAL.match(texto) and not camino.is_file()):
        raise ImportacionRechazada(
            f"«{texto}» no es un archivo local: no se aceptan URL, rutas /vsi* ni prefijos de GDAL.",
            codigo="ruta_no_local",
        )
    try:
        modo = camino.stat().st_mode
    except OSError:
        raise ImportacionRechazada(f"No existe el archivo {camino}.", codigo="no_existe")
    if not stat.S_ISREG(modo):
        raise ImportacionRechazada(f"{camino} no es un archivo regular.", codigo="no_es_archivo")
    extension = camino.suffix.lower()
    if extension not in EXTENSIONES:
        raise ImportacionRechazada(
            f"Formato no aceptado: «{camino.name}». Se aceptan Shapefile en .zip, GeoPackage, GeoJSON, "
            "KML/KMZ, CSV y GeoTIFF.",
            codigo="formato",
        )
    tamano = camino.stat().st_size
    if tamano > limites.archivo:
        raise ImportacionRechazada(
            f"El archivo pesa {tamano / MIB:.1f} MiB; el máximo es {limites.archivo / MIB:.0f} MiB.",
            codigo="tamano",
        )
    return camino


def anuncia_raster(nombre: str, archivo=None) -> bool:
    """Indica si el archivo es un GeoTIFF o un zip que trae uno: decide qué importador lo recibe.

    ``archivo`` (ruta o archivo abierto) solo se mira si es un zip, y solo su índice; su contenido lo
    verifica después el importador. Un zip ilegible no anuncia ráster: el importador vectorial
    explica el error.
    """
    extension = Path(nombre).suffix.lower()
    if extension in RASTER:
        return True
    if extension != ".zip" or archivo is None:
        return False
    try:
        with zipfile.ZipFile(archivo) as archivo_zip:
            nombres = archivo_zip.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        if hasattr(archivo, "seek"):
            archivo.seek(0)
    return any(PurePosixPath(n).suffix.lower() in RASTER for n in nombres)


def preparar_entrada(
    ruta, destino: Path, *, nombre: str | None = None, limites: Limites = LIMITES
) -> Entrada:
    """Copia o extrae el archivo del usuario a ``destino`` y devuelve el conjunto a abrir, verificado.

    ``nombre`` es el del archivo como lo conoce el usuario (el de la subida web); por omisión, el de
    ``ruta``. La copia lo conserva (saneado) para que los mensajes hablen de su archivo.
    """
    # Antes de que GDAL vea el archivo: cada GDAL sigue con su lista blanca y sin red.
    blindar()
    camino = validar_ruta(ruta, limites=limites)
    origen = Path(nombre).name if nombre else camino.name
    extension = camino.suffix.lower()
    avisos: list[str] = []
    if extension in (".zip", ".kmz"):
        ignorados = extraer_zip(camino, destino / "zip", limites=limites)
        if ignorados:
            avisos.append("Se ignoraron archivos del zip: " + ", ".join(sorted(ignorados)[:20]))
        conjunto = _unico_conjunto(destino / "zip", solo_kml=extension == ".kmz")
    else:
        conjunto = _copiar(camino, destino / "archivo", nombre=origen)
    controlador = {**VECTORIALES, **RASTER}[conjunto.suffix.lower()]
    verificar_prjs(conjunto.parent if extension not in (".zip", ".kmz") else destino / "zip")
    verificar_contenido(conjunto, controlador)
    return Entrada(ruta=conjunto, controlador=controlador, origen=origen, avisos=avisos)


def nombre_de_copia(nombre: str) -> str:
    """Devuelve la base de ``nombre`` sin separadores ni caracteres de control (tildes y ñ quedan)."""
    base = re.sub(r"[^\w .()-]", "_", Path(nombre).stem)[:100].strip(" .")
    return base or "datos"


def _copiar(camino: Path, destino: Path, *, nombre: str) -> Path:
    """Copia el archivo (y los complementos de un shapefile) a ``destino``; devuelve la copia."""
    destino.mkdir()
    copia = destino / f"{nombre_de_copia(nombre)}{camino.suffix.lower()}"
    shutil.copyfile(camino, copia)
    if camino.suffix.lower() == ".shp":
        for extension in COMPLEMENTOS_SHP:
            hermano = next(
                (
                    p
                    for p in (camino.with_suffix(extension), camino.with_suffix(extension.upper()))
                    if p.is_file()
                ),
                None,
            )
            if hermano is not None:
                shutil.copyfile(hermano, copia.with_suffix(extension))
    return copia


def extraer_zip(ruta: Path, destino: Path, *, limites: Limites = LIMITES) -> list[str]:
    """Extrae a ``destino`` las entradas útiles de un zip verificado; devuelve las ignoradas.

    Rechaza antes de escribir: demasiadas entradas, nombres absolutos o con ``..`` (zip-slip),
    enlaces simbólicos, tamaño total o razón de compresión excesivos. Al extraer vuelve a contar
    los bytes reales, porque los tamaños del índice del zip los escribe quien lo arma.
    """
    try:
        archivo_zip = zipfile.ZipFile(ruta)
    except (zipfile.BadZipFile, OSError) as error:
        logger.info("Zip ilegible %s: %s", ruta.name, error)
        raise ImportacionRechazada("El zip está dañado o no es un zip.", codigo="zip")
    with archivo_zip:
        entradas = archivo_zip.infolist()
        if len(entradas) > limites.entradas:
            raise ImportacionRechazada(
                f"El zip tiene {len(entradas)} entradas; el máximo es {limites.entradas}.", codigo="zip"
            )
        utiles, ignorados, total = [], [], 0
        for entrada in entradas:
            nombre = _nombre_seguro(entrada)
            if entrada.flag_bits & 0x1:
                raise ImportacionRechazada(
                    f"La entrada «{entrada.filename}» del zip está cifrada (con contraseña); suba un zip sin "
                    "contraseña.",
                    codigo="zip_cifrado",
                )
            total += entrada.file_size
            _verificar_razon(entrada, limites)
            if entrada.is_dir():
                continue
            extension = PurePosixPath(nombre).suffix.lower()
            if extension in VECTORIALES or extension in RASTER or extension in COMPLEMENTOS_SHP:
                utiles.append((entrada, nombre))
            elif not nombre.startswith("__MACOSX/"):
                ignorados.append(nombre)
        if total > limites.descomprimido:
            raise ImportacionRechazada(
                f"El zip descomprimido pesaría {total / MIB:.0f} MiB; el máximo es "
                f"{limites.descomprimido / MIB:.0f} MiB.",
                codigo="zip_bomba",
            )
        destino.mkdir()
        escritos = 0
        for entrada, nombre in utiles:
            escritos = _extraer_una(archivo_zip, entrada, destino / nombre, escritos, limites)
    return ignorados


def _nombre_seguro(entrada: zipfile.ZipInfo) -> str:
    """Devuelve el nombre de la entrada si es relativo y sin ``..``; si no, rechaza (zip-slip)."""
    nombre = entrada.filename.replace("\\", "/")
    partes = PurePosixPath(nombre).parts
    if nombre.startswith("/") or re.match(r"^[A-Za-z]:", nombre) or ".." in partes or "\x00" in nombre:
        raise ImportacionRechazada(
            f"El zip contiene una ruta peligrosa («{entrada.filename}»): se rechaza completo.",
            codigo="zip_slip",
        )
    if stat.S_ISLNK(entrada.external_attr >> 16):
        raise ImportacionRechazada(
            f"El zip contiene un enlace simbólico («{entrada.filename}»): se rechaza completo.",
            codigo="zip_slip",
        )
    return nombre


def _verificar_razon(entrada: zipfile.ZipInfo, limites: Limites) -> None:
    """Rechaza una entrada cuya razón de compresión delata una bomba zip."""
    if entrada.file_size < limites.minimo_para_razon:
        return
    razon = entrada.file_size / max(entrada.compress_size, 1)
    if razon > limites.razon:
        raise ImportacionRechazada(
            f"La entrada «{entrada.filename}» se comprime {razon:.0f} veces (máximo {limites.razon:.0f}): "
            "parece una bomba zip.",
            codigo="zip_bomba",
        )


def _extraer_una(archivo_zip, entrada, destino: Path, escritos: int, limites: Limites) -> int:
    """Copia una entrada contando bytes reales contra el límite total; devuelve el total escrito.

    ZipExtFile se detiene en el tamaño declarado y solo verifica el CRC al llegar ahí: por eso se
    cuenta lo copiado y se exige que coincida con lo declarado (un zip que miente se rechaza).
    """
    destino.parent.mkdir(parents=True, exist_ok=True)
    if destino.exists():
        raise ImportacionRechazada(f"El zip repite la entrada «{entrada.filename}».", codigo="zip")
    copiados = 0
    try:
        with archivo_zip.open(entrada) as origen, destino.open("xb") as salida:
            while bloque := origen.read(MIB):
                copiados += len(bloque)
                if copiados > entrada.file_size or escritos + copiados > limites.descomprimido:
                    raise ImportacionRechazada(
                        "El zip se descomprime más allá de lo que declara: parece una bomba zip.",
                        codigo="zip_bomba",
                    )
                salida.write(bloque)
    except _ERRORES_ZIP as error:
        logger.info("Entrada de zip ilegible %s: %s", entrada.filename, error)
        raise ImportacionRechazada(
            f"La entrada «{entrada.filename}» del zip está dañada (CRC o datos comprimidos incorrectos) o "
            "usa un método de compresión no soportado.",
            codigo="zip",
        )
    if copiados != entrada.file_size:
        raise ImportacionRechazada(
            f"La entrada «{entrada.filename}» del zip no tiene el tamaño que declara ({copiados} bytes "
            f"en vez de {entrada.file_size}): el zip está dañado o manipulado.",
            codigo="zip",
        )
    return escritos + copiados


def _unico_conjunto(directorio: Path, *, solo_kml: bool) -> Path:
    """Devuelve el único conjunto de datos extraído (un .shp, .gpkg, .geojson, .kml, .csv o .tif)."""
    extensiones = {".kml"} if solo_kml else {*VECTORIALES, *RASTER} - {".kmz"}
    conjuntos = sorted(p for p in directorio.rglob("*") if p.is_file() and p.suffix.lower() in extensiones)
    if solo_kml and len(conjuntos) > 1:
        # Un KMZ trae su documento principal (doc.kml) en la raíz; el resto son recursos.
        raices = [p for p in conjuntos if p.parent == directorio]
        conjuntos = raices[:1] or conjuntos[:1]
    if not conjuntos:
        raise ImportacionRechazada(
            "El zip no contiene un conjunto de datos aceptado (.shp, .gpkg, .geojson, .kml, .csv o .tif).",
            codigo="zip_vacio",
        )
    if len(conjuntos) > 1:
        nombres = ", ".join(p.relative_to(directorio).as_posix() for p in conjuntos[:10])
        raise ImportacionRechazada(
            f"El zip contiene {len(conjuntos)} conjuntos de datos ({nombres}); suba uno por importación.",
            codigo="zip_varios",
        )
    return conjuntos[0]
