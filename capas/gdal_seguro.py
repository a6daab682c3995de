"""Blindaje de los GDAL del proceso: solo los controladores de su lista blanca y ninguna red.

En el proceso viven tres GDAL distintos: el que trae pyogrio (3.12), el que trae rasterio (3.10) y el
de Debian (3.6) que Django carga con ctypes. GDAL elige el controlador por el contenido del archivo:
con todos registrados, un .geojson que es una tubería GDALG, un VRT o un WMS lee otros archivos o la
red antes de que nadie mire qué controlador lo abrió. Por eso, al arrancar (``CapasConfig.ready`` y al
importar los módulos que abren archivos) y antes de que GDAL lea un byte, a cada GDAL se le:

- quitan los controladores que no están en su lista blanca con el mecanismo documentado de GDAL,
  ``GDAL_SKIP`` + ``GDALAllRegister`` (``AutoSkipDrivers``). ``GDAL_SKIP`` queda fijado en ese GDAL:
  si alguien vuelve a llamar a ``GDALAllRegister`` (rasterio en su primer ``Env``, Django cuando no ve
  controladores), los quita otra vez;
- corta la red, que GDAL no sabe apagar con una sola opción: se quitan los sistemas de archivos de red
  y los que leen otros archivos (``VSIRemovePluginHandler``, GDAL ≥ 3.9; en 3.6 se reemplazan con
  ``VSIInstallPluginHandler`` por uno que no abre nada, porque ``CPL_VSIL_CURL_ALLOWED_FILENAME`` no
  detiene a ``/vsicurl_streaming/`` ni a ``/vsiswift/``), ``CPLHTTPFetch`` responde un error sin
  conectarse (``CPLHTTPSetFetchCallback``) y PROJ queda sin red.

Si al terminar un GDAL no tiene exactamente su lista blanca o conserva algo de red, el arranque falla
con ImproperlyConfigured. Los procesos hijos (manage.py, workers de gunicorn) pasan por lo mismo al
cargar Django; no se exporta ``GDAL_SKIP`` al entorno porque los nombres de controladores cambian entre
versiones de GDAL y rompería a programas ajenos (QGIS) que no reciben archivos de usuarios.
"""

import ctypes
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# Lo que el código usa de cada GDAL (verificado con la suite): pyogrio importa y exporta vectores (los
# atributos de un KML los lee LIBKML); rasterio lee GeoTIFF, escribe GTiff/COG y reproyecta cada
# ventana a un arreglo en memoria (MEM; abrir «MEM:::» queda apagado); Django solo usa SpatialReference
# y CoordTransform, que no necesitan controladores. Ojo: WarpedVRT y calculate_default_transform de
# rasterio registran o usan VRT; no se usan.
VECTORIALES = frozenset({"ESRI Shapefile", "GPKG", "GeoJSON", "KML", "LIBKML", "CSV"})
RASTER = frozenset({"GTiff", "COG", "MEM"})
LISTAS_BLANCAS = {"pyogrio": VECTORIALES, "rasterio": RASTER, "django": frozenset()}
# Sistemas de archivos virtuales que quedan: locales o en memoria. /vsisparse/ y /vsisubfile/ los usa
# GDAL por dentro (overviews JPEG de un GeoTIFF); /vsipythonfilelike/ es de rasterio (MemoryFile);
# /vsipmtiles/ lo reinstala GDAL 3.12 en cada GDALAllRegister y, como /vsizip/, solo lee el archivo
# local que se le nombra.
PREFIJOS_VSI = frozenset(
    {"/vsimem/", "/vsizip/", "/vsigzip/", "/vsitar/", "/vsisubfile/", "/vsisparse/", "/vsipythonfilelike/",
     "/vsipmtiles/"}
)  # fmt: skip
# Nombre que ninguna ruta /vsicurl/ (ni /vsis3/, /vsigs/…) puede tener: ninguna queda permitida.
SIN_NOMBRE_PERMITIDO = "[red cortada: capas.gdal_seguro]"
OPCIONES = {
    "CPL_VSIL_CURL_ALLOWED_FILENAME": SIN_NOMBRE_PERMITIDO,
    "PROJ_NETWORK": "OFF",
    # Sin complementos de controladores cargados desde disco al registrar.
    "GDAL_DRIVER_PATH": "disable",
    # Sin tablas virtuales SQLite hacia otros datos. (Abrir «MEM:::» viene apagado desde GDAL 3.10 y
    # rasterio lo prende solo alrededor de sus propios arreglos: no se fija aquí, lo borraría al salir.)
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    "CPL_ALLOW_VSISTDIN": "NO",
    "LIBKML_EXTERNAL_STYLE": "NO",
}
MENSAJE_HTTP = b"Territorio no permite que GDAL acceda a la red (capas.gdal_seguro)."
_RE_LIBGDAL = re.compile(r"(/\S*/libgdal[^/\s]*\.so[^/\s]*)$")

_candado = threading.Lock()
_blindados: dict[str, "Gdal"] = {}
# Las funciones de ctypes deben vivir mientras GDAL pueda llamarlas.
_retenidas: list = []


class ResultadoHTTP(ctypes.Structure):
    """CPLHTTPResult de cpl_http.h (estable desde GDAL 2)."""

    _fields_ = [
        ("nStatus", ctypes.c_int),
        ("pszContentType", ctypes.c_void_p),
        ("pszErrBuf", ctypes.c_void_p),
        ("nDataLen", ctypes.c_int),
        ("nDataAlloc", ctypes.c_int),
        ("pabyData", ctypes.c_void_p),
        ("papszHeaders", ctypes.c_void_p),
        ("nMimePartCount", ctypes.c_int),
        ("pasMimePart", ctypes.c_void_p),
    ]


# CPLHTTPFetchCallbackFunc: (url, opciones, progreso, arg, escritura, arg, dato de usuario).
_FIRMA_HTTP = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_char_p, *(ctypes.c_void_p,) * 6)
# VSIFilesystemPluginOpenCallback: (dato de usuario, nombre, modo) y su lugar en
# VSIFilesystemPluginCallbacksStruct (pUserData, stat, unlink, rename, mkdir, rmdir, read_dir, open…).
_FIRMA_ABRIR = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p)
_POSICION_ABRIR = 7


@dataclass
class Gdal:
    """Un GDAL cargado en el proceso: quién lo usa, su biblioteca y su lista blanca."""

    usuarios: tuple[str, ...]
    ruta: str
    lista_blanca: frozenset[str]
    lib: ctypes.CDLL | None = None
    # Prefijos VSI reemplazados por uno que no abre nada (GDAL < 3.9, sin VSIRemovePluginHandler).
    reemplazados: frozenset[str] = frozenset()

    @property
    def nombre(self) -> str:
        """Devuelve un nombre legible: quién lo usa y la versión."""
        return f"{'+'.join(self.usuarios)} (GDAL {self.version()})"

    def version(self) -> str:
        """Devuelve la versión de este GDAL (p. ej. «3.12.4»)."""
        return self.lib.GDALVersionInfo(b"RELEASE_NAME").decode()

    def controladores(self) -> list[str]:
        """Devuelve los nombres cortos de los controladores registrados, en orden."""
        lib = self.lib
        cantidad = lib.GDALGetDriverCount()
        return [lib.GDALGetDriverShortName(lib.GDALGetDriver(i)).decode() for i in range(cantidad)]

    def prefijos_vsi(self) -> list[str]:
        """Devuelve los prefijos de sistemas de archivos virtuales instalados."""
        lista = self.lib.VSIGetFileSystemsPrefixes()
        prefijos, i = [], 0
        while lista and lista[i]:
            prefijos.append(lista[i].decode())
            i += 1
        self.lib.CSLDestroy(lista)
        return prefijos

    def opcion(self, clave: str) -> str | None:
        """Devuelve el valor de una opción de configuración de este GDAL."""
        valor = self.lib.CPLGetConfigOption(clave.encode(), None)
        return valor.decode() if valor is not None else None

    def red_de_proj(self) -> bool:
        """Indica si PROJ puede usar la red desde este GDAL."""
        return bool(self.lib.OSRGetPROJEnableNetwork())


def blindar() -> list[Gdal]:
    """Deja cada GDAL del proceso con solo su lista blanca y sin red; falla si no lo logra.

    Es idempotente y barato después de la primera vez (~15 ms: vuelve a verificar, no a registrar).
    Si un GDAL ya blindado cambió (algo registró un controlador sin pasar por GDALAllRegister, como
    WarpedVRT de rasterio con VRT), se vuelve a blindar y queda un error en el registro.
    """
    with _candado:
        for gdal in _gdals_cargados():
            if gdal.ruta not in _blindados:
                _blindar(gdal)
                verificar(gdal)
                _blindados[gdal.ruta] = gdal
                continue
            gdal = _blindados[gdal.ruta]
            try:
                verificar(gdal)
            except ImproperlyConfigured as problema:
                logger.error("%s Se vuelve a blindar.", problema)
                _reblindar(gdal)
                verificar(gdal)
        os.environ["PROJ_NETWORK"] = "OFF"
        return list(_blindados.values())


def blindados() -> list[Gdal]:
    """Devuelve los GDAL ya blindados (para verificarlos en pruebas y diagnósticos)."""
    return list(_blindados.values())


def _gdals_cargados() -> list[Gdal]:
    """Carga los tres GDAL (pyogrio, rasterio, Django) y devuelve cada biblioteca con su lista blanca.

    pyogrio registra sus controladores al importarse y rasterio en su primer ``Env``: se provocan aquí
    para que ninguno registre después de verificar. Una biblioteca que nadie declara (otro GDAL
    cargado por algo más) queda sin ningún controlador.
    """
    import pyogrio
    import rasterio
    from django.contrib.gis.gdal.libgdal import lgdal

    with rasterio.Env():
        pass
    propias = {
        "pyogrio": Path(pyogrio.__file__).parent.parent / "pyogrio.libs",
        "rasterio": Path(rasterio.__file__).parent.parent / "rasterio.libs",
    }
    de_django = _ruta_de(ctypes.cast(lgdal.GDALVersionInfo, ctypes.c_void_p).value)
    usuarios: dict[str, list[str]] = {ruta: [] for ruta in _libgdal_mapeadas()}
    for usuario, carpeta in propias.items():
        incluidas = [r for r in usuarios if Path(r).parent == carpeta.resolve()]
        # Sin GDAL propio (instalado desde fuentes), el paquete usa el del sistema, el de Django.
        for ruta in incluidas or [de_django]:
            usuarios.setdefault(ruta, []).append(usuario)
    usuarios.setdefault(de_django, []).append("django")
    return [
        Gdal(
            usuarios=tuple(quienes) or ("desconocido",),
            ruta=ruta,
            lista_blanca=frozenset().union(*(LISTAS_BLANCAS[u] for u in quienes)),
        )
        for ruta, quienes in sorted(usuarios.items())
    ]


def _libgdal_mapeadas() -> list[str]:
    """Devuelve las bibliotecas libgdal mapeadas en este proceso (según /proc/self/maps)."""
    with open("/proc/self/maps") as mapas:
        rutas = {m.group(1) for linea in mapas if (m := _RE_LIBGDAL.search(linea.strip()))}
    return sorted(os.path.realpath(r) for r in rutas)


def _ruta_de(direccion: int) -> str:
    """Devuelve la biblioteca mapeada que contiene ``direccion`` (según /proc/self/maps)."""
    with open("/proc/self/maps") as mapas:
        for linea in mapas:
            partes = linea.split()
            inicio, fin = (int(x, 16) for x in partes[0].split("-"))
            if inicio <= direccion < fin and len(partes) >= 6:
                return os.path.realpath(partes[5])
    raise ImproperlyConfigured("No se encontró la biblioteca GDAL que usa Django en el proceso.")


def _blindar(gdal: Gdal) -> None:
    """Fija las opciones, corta la red y deja solo los controladores de la lista blanca."""
    lib = gdal.lib = _prototipos(ctypes.CDLL(gdal.ruta))
    for clave, valor in OPCIONES.items():
        lib.CPLSetConfigOption(clave.encode(), valor.encode())
    lib.OSRSetPROJEnableNetwork(0)
    _sin_http(gdal)
    lib.GDALAllRegister()
    faltan = gdal.lista_blanca - set(gdal.controladores())
    if faltan:
        raise ImproperlyConfigured(
            f"El GDAL de {gdal.nombre} no trae los controladores que Territorio necesita: "
            f"{', '.join(sorted(faltan))}."
        )
    sobran = [c for c in gdal.controladores() if c not in gdal.lista_blanca]
    # Coma como separador: hay nombres con espacios («MapInfo File»).
    lib.CPLSetConfigOption(b"GDAL_SKIP", ",".join(sobran).encode())
    lib.GDALAllRegister()
    # Al final: registrar controladores puede instalar sistemas de archivos virtuales.
    _sin_vsi_externos(gdal)
    logger.debug("GDAL de %s: quedan %s", gdal.nombre, ", ".join(gdal.controladores()) or "ninguno")


def _reblindar(gdal: Gdal) -> None:
    """Vuelve a fijar opciones y red, y quita lo registrado por fuera (GDAL_SKIP sigue fijado)."""
    lib = gdal.lib
    for clave, valor in OPCIONES.items():
        lib.CPLSetConfigOption(clave.encode(), valor.encode())
    lib.OSRSetPROJEnableNetwork(0)
    lib.GDALAllRegister()
    _sin_vsi_externos(gdal)


def _sin_http(gdal: Gdal) -> None:
    """Reemplaza CPLHTTPFetch de este GDAL por una respuesta de error que no se conecta."""
    lib = gdal.lib

    def responder(url, _opciones, _progreso, _arg_progreso, _escritura, _arg_escritura, _dato):
        logger.warning("GDAL de %s intentó acceder a %r: bloqueado.", gdal.nombre, (url or b"")[:200])
        direccion = lib.CPLCalloc(1, ctypes.sizeof(ResultadoHTTP))
        resultado = ResultadoHTTP.from_address(direccion)
        resultado.nStatus = 1  # CURLE_UNSUPPORTED_PROTOCOL
        resultado.pszErrBuf = lib.CPLStrdup(MENSAJE_HTTP)
        return direccion

    funcion = _FIRMA_HTTP(responder)
    _retenidas.append(funcion)
    lib.CPLHTTPSetFetchCallback(funcion, None)


def _sin_vsi_externos(gdal: Gdal) -> None:
    """Quita (o, antes de GDAL 3.9, reemplaza por uno que no abre nada) cada VSI fuera de PREFIJOS_VSI."""
    lib = gdal.lib
    externos = sorted(set(gdal.prefijos_vsi()) - PREFIJOS_VSI - gdal.reemplazados)
    if hasattr(lib, "VSIRemovePluginHandler"):
        for prefijo in externos:
            lib.VSIRemovePluginHandler(prefijo.encode())
        return

    def abrir(_dato, nombre, _modo):
        logger.warning("GDAL de %s intentó abrir %r: bloqueado.", gdal.nombre, (nombre or b"")[:200])
        return None

    funcion = _FIRMA_ABRIR(abrir)
    _retenidas.append(funcion)
    for prefijo in externos:
        # La estructura llega en ceros (del tamaño que espera este GDAL): sin stat, read_dir ni el
        # resto, el manejador responde «no existe»; GDAL la copia al instalarla.
        estructura = lib.VSIAllocFilesystemPluginCallbacksStruct()
        ctypes.cast(estructura, ctypes.POINTER(ctypes.c_void_p))[_POSICION_ABRIR] = ctypes.cast(
            funcion, ctypes.c_void_p
        ).value
        lib.VSIInstallPluginHandler(prefijo.encode(), estructura)
        lib.VSIFreeFilesystemPluginCallbacksStruct(estructura)
    gdal.reemplazados |= frozenset(externos)


def verificar(gdal: Gdal) -> None:
    """Lanza ImproperlyConfigured si el GDAL no quedó con su lista blanca y sin red."""
    problemas = []
    presentes = gdal.controladores()
    if sorted(presentes) != sorted(gdal.lista_blanca):
        problemas.append(
            f"controladores {', '.join(presentes) or 'ninguno'} (se esperaba exactamente "
            f"{', '.join(sorted(gdal.lista_blanca)) or 'ninguno'})"
        )
    extra = sorted(set(gdal.prefijos_vsi()) - PREFIJOS_VSI - gdal.reemplazados)
    if extra:
        problemas.append(f"sistemas de archivos de red o externos {', '.join(extra)}")
    for clave, valor in OPCIONES.items():
        if gdal.opcion(clave) != valor:
            problemas.append(f"{clave}={gdal.opcion(clave)!r} (se esperaba {valor!r})")
    if gdal.red_de_proj():
        problemas.append("PROJ con red")
    if problemas:
        raise ImproperlyConfigured(
            f"GDAL de {gdal.nombre} ({gdal.ruta}) no quedó blindado: {'; '.join(problemas)}."
        )


def _prototipos(lib: ctypes.CDLL) -> ctypes.CDLL:
    """Declara los tipos de las funciones de la API C de GDAL que se usan aquí."""
    c_char_p, c_void_p, c_int = ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int
    firmas = {
        "GDALVersionInfo": (c_char_p, [c_char_p]),
        "GDALAllRegister": (None, []),
        "GDALGetDriverCount": (c_int, []),
        "GDALGetDriver": (c_void_p, [c_int]),
        "GDALGetDriverShortName": (c_char_p, [c_void_p]),
        "VSIGetFileSystemsPrefixes": (ctypes.POINTER(c_char_p), []),
        "CSLDestroy": (None, [ctypes.POINTER(c_char_p)]),
        "CPLSetConfigOption": (None, [c_char_p, c_char_p]),
        "CPLGetConfigOption": (c_char_p, [c_char_p, c_char_p]),
        "OSRSetPROJEnableNetwork": (None, [c_int]),
        "OSRGetPROJEnableNetwork": (c_int, []),
        "CPLHTTPSetFetchCallback": (None, [_FIRMA_HTTP, c_void_p]),
        "CPLCalloc": (c_void_p, [ctypes.c_size_t, ctypes.c_size_t]),
        "CPLStrdup": (c_void_p, [c_char_p]),
        "VSIAllocFilesystemPluginCallbacksStruct": (c_void_p, []),
        "VSIFreeFilesystemPluginCallbacksStruct": (None, [c_void_p]),
        "VSIInstallPluginHandler": (c_int, [c_char_p, c_void_p]),
    }
    if hasattr(lib, "VSIRemovePluginHandler"):
        firmas["VSIRemovePluginHandler"] = (c_int, [c_char_p])
    for nombre, (resultado, argumentos) in firmas.items():
        funcion = getattr(lib, nombre)
        funcion.restype, funcion.argtypes = resultado, argumentos
    return lib
