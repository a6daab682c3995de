"""El archivo de respaldo: un tar (o tar.gz) con base.dump, media/… y manifiesto.json con sus sumas.

Se escribe con nombre temporal y permisos 0600, y se renombra solo al terminar: nunca queda un
respaldo a medias con el nombre final. Se lee entero a un directorio temporal verificando cada suma
antes de que la restauración toque la base o MEDIA_ROOT.
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from pathlib import Path, PurePosixPath

from apps.nucleo.respaldo import RespaldoError

FORMATO = "territorio-respaldo"
VERSION_FORMATO = 1
MANIFIESTO = "manifiesto.json"
DUMP = "base.dump"
MEDIA = "media"
_MAX_MANIFIESTO = 16 * 1024 * 1024
_BLOQUE = 1024 * 1024


class _LectorConSuma:
    """Envuelve un archivo abierto y acumula el sha256 y el tamaño de lo leído."""

    def __init__(self, archivo):
        self.archivo = archivo
        self.suma = hashlib.sha256()
        self.bytes = 0

    def read(self, n=-1):
        """Lee como el archivo envuelto, sumando lo leído."""
        datos = self.archivo.read(n)
        self.suma.update(datos)
        self.bytes += len(datos)
        return datos


def es_gzip(ruta: Path) -> bool:
    """Dice si el respaldo se comprime según su nombre (.tar.gz o .tgz)."""
    return ruta.name.endswith((".tar.gz", ".tgz"))


class Escritor:
    """Escribe el tar de un respaldo bajo un nombre temporal; ``confirmar`` lo publica con su nombre."""

    def __init__(self, destino: Path):
        self.destino = destino
        destino.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp crea el archivo con permisos 0600 en el mismo directorio: el rename final es atómico.
        descriptor, temporal = tempfile.mkstemp(
            prefix=f".{destino.name}.", suffix=".parcial", dir=destino.parent
        )
        self.temporal = Path(temporal)
        self._archivo = os.fdopen(descriptor, "wb")
        self._tar = tarfile.open(fileobj=self._archivo, mode="w:gz" if es_gzip(destino) else "w")
        self.archivos: list[dict] = []

    def agregar(self, origen: Path, nombre: str) -> None:
        """Agrega ``origen`` como ``nombre`` y anota su sha256 y tamaño tal como quedaron en el tar."""
        info = self._tar.gettarinfo(str(origen), arcname=nombre)
        info.uid = info.gid = 0
        info.mode = 0o600
        info.uname = info.gname = ""
        with origen.open("rb") as archivo:
            lector = _LectorConSuma(archivo)
            self._tar.addfile(info, lector)
        self.archivos.append({"ruta": nombre, "sha256": lector.suma.hexdigest(), "bytes": info.size})

    def confirmar(self, manifiesto: dict) -> None:
        """Agrega el manifiesto, cierra y da al respaldo su nombre definitivo."""
        datos = json.dumps(manifiesto, ensure_ascii=False, indent=2).encode()
        info = tarfile.TarInfo(MANIFIESTO)
        info.size = len(datos)
        info.mode = 0o600
        info.mtime = int(time.time())
        self._tar.addfile(info, io.BytesIO(datos))
        self._tar.close()
        self._archivo.flush()
        os.fsync(self._archivo.fileno())
        self._archivo.close()
        os.replace(self.temporal, self.destino)
        _sincronizar_directorio(self.destino.parent)

    def descartar(self) -> None:
        """Cierra y borra el archivo temporal (el respaldo no se hizo)."""
        for cerrable in (self._tar, self._archivo):
            try:
                cerrable.close()
            except (OSError, tarfile.TarError):
                pass
        self.temporal.unlink(missing_ok=True)


def _sincronizar_directorio(directorio: Path) -> None:
    """Hace durable el rename en el directorio (sin esto, un corte de luz puede perderlo)."""
    descriptor = os.open(directorio, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def nombre_seguro(nombre: str) -> PurePosixPath:
    """Devuelve la ruta relativa de una entrada del tar; rechaza absolutas, ``..`` y rarezas."""
    ruta = PurePosixPath(nombre)
    if (
        ruta.is_absolute()
        or not ruta.parts
        or any(p in ("", ".", "..") for p in ruta.parts)
        or "\\" in nombre
    ):
        raise RespaldoError(f"El respaldo contiene una ruta no permitida («{nombre}»); no se restauró nada.")
    if nombre not in (MANIFIESTO, DUMP) and (ruta.parts[0] != MEDIA or len(ruta.parts) < 2):
        raise RespaldoError(
            f"El respaldo contiene una entrada desconocida («{nombre}»); no se restauró nada."
        )
    return ruta


def extraer_verificado(archivo: Path, destino: Path) -> dict:
    """Extrae el respaldo en ``destino`` y devuelve su manifiesto si cada archivo coincide con él.

    Lanza RespaldoError (nada se restauró aún) ante un tar ilegible, una entrada que no es un archivo
    común, un archivo que falta o sobra, o una suma sha256 o un tamaño distintos de los del manifiesto.
    """
    sumas: dict[str, tuple[str, int]] = {}
    manifiesto = None
    try:
        with tarfile.open(archivo, "r:*") as tar:
            for miembro in tar:
                ruta = nombre_seguro(miembro.name)
                if not miembro.isfile():
                    raise RespaldoError(
                        f"El respaldo contiene «{miembro.name}», que no es un archivo común; "
                        "no se restauró nada."
                    )
                if miembro.name in sumas or (miembro.name == MANIFIESTO and manifiesto is not None):
                    raise RespaldoError(f"El respaldo repite «{miembro.name}»; no se restauró nada.")
                fuente = tar.extractfile(miembro)
                if miembro.name == MANIFIESTO:
                    manifiesto = _leer_manifiesto(fuente.read(_MAX_MANIFIESTO + 1))
                    continue
                sumas[miembro.name] = _copiar_con_suma(fuente, destino.joinpath(*ruta.parts))
    except (tarfile.TarError, EOFError, OSError) as error:
        raise RespaldoError(f"«{archivo.name}» no es un respaldo legible ({error}); no se restauró nada.")
    if manifiesto is None:
        raise RespaldoError(f"«{archivo.name}» no tiene {MANIFIESTO}: no es un respaldo de Territorio.")
    _comparar(manifiesto, sumas)
    return manifiesto


def _leer_manifiesto(datos: bytes) -> dict:
    """Devuelve el manifiesto si es un JSON de un formato de respaldo que esta versión entiende."""
    if len(datos) > _MAX_MANIFIESTO:
        raise RespaldoError("El manifiesto del respaldo es demasiado grande; no se restauró nada.")
    try:
        manifiesto = json.loads(datos)
    except (UnicodeDecodeError, ValueError):
        raise RespaldoError("El manifiesto del respaldo está dañado (no es JSON); no se restauró nada.")
    if not isinstance(manifiesto, dict) or manifiesto.get("formato") != FORMATO:
        raise RespaldoError("El archivo no es un respaldo de Territorio (formato desconocido).")
    if manifiesto.get("version") != VERSION_FORMATO:
        raise RespaldoError(
            f"El respaldo tiene el formato {manifiesto.get('version')} y esta versión de Territorio lee el "
            f"{VERSION_FORMATO}; restáurelo con la versión que lo creó."
        )
    archivos, tablas = manifiesto.get("archivos"), (manifiesto.get("base") or {}).get("tablas")
    bien_formado = (
        isinstance(archivos, list)
        and all(
            isinstance(a, dict)
            and isinstance(a.get("ruta"), str)
            and isinstance(a.get("sha256"), str)
            and isinstance(a.get("bytes"), int)
            for a in archivos
        )
        and isinstance(tablas, dict)
        and all(isinstance(n, int) for n in tablas.values())
    )
    if not bien_formado:
        raise RespaldoError("El manifiesto del respaldo está incompleto o dañado; no se restauró nada.")
    return manifiesto


def _copiar_con_suma(fuente, destino: Path) -> tuple[str, int]:
    """Copia ``fuente`` a ``destino`` y devuelve (sha256, bytes)."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    lector = _LectorConSuma(fuente)
    with destino.open("xb") as salida:
        while bloque := lector.read(_BLOQUE):
            salida.write(bloque)
    return lector.suma.hexdigest(), lector.bytes


def _comparar(manifiesto: dict, sumas: dict[str, tuple[str, int]]) -> None:
    """Lanza RespaldoError si los archivos extraídos no son exactamente los del manifiesto."""
    esperados = {a["ruta"]: (a["sha256"], a["bytes"]) for a in manifiesto.get("archivos", [])}
    if DUMP not in esperados:
        raise RespaldoError(f"El manifiesto no lista {DUMP}; no se restauró nada.")
    faltan = sorted(set(esperados) - set(sumas))
    sobran = sorted(set(sumas) - set(esperados))
    if faltan or sobran:
        detalle = "; ".join(parte for parte in (_lista("faltan", faltan), _lista("sobran", sobran)) if parte)
        raise RespaldoError(f"El respaldo no coincide con su manifiesto ({detalle}); no se restauró nada.")
    distintos = sorted(nombre for nombre, suma in sumas.items() if esperados[nombre] != suma)
    if distintos:
        raise RespaldoError(
            f"El respaldo está dañado: {_lista('no coinciden con su sha256', distintos)}; "
            "no se restauró nada."
        )


def _lista(titulo: str, nombres: list[str]) -> str:
    """Devuelve «titulo: a, b, c» (hasta 5 nombres) o '' si no hay nombres."""
    if not nombres:
        return ""
    resto = f" y {len(nombres) - 5} más" if len(nombres) > 5 else ""
    return f"{titulo}: {', '.join(nombres[:5])}{resto}"
