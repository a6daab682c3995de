"""Servicio de importación de rásteres (GeoTIFF) con rasterio: valida, guarda COG y estadísticas.

El ráster se guarda en ``MEDIA_ROOT/rasters/<nombre>.tif`` como GeoTIFF optimizado para la nube
(COG: teselas de 512, DEFLATE y overviews; el GDAL que exige rasterio trae el controlador COG).
Conserva el CRS si tiene código EPSG (no remuestrea un DEM sin necesidad); si no, lo reproyecta a 4326.
Todo se procesa por ventanas, nunca entero en memoria.
"""

import contextlib
import logging
import math
import os
import shutil
from pathlib import Path

import numpy as np
import rasterio
import rasterio.shutil
from django.conf import settings
from django.db import transaction
from rasterio._err import CPLE_BaseError
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.errors import CRSError, RasterioError
from rasterio.transform import Affine
from rasterio.warp import reproject, transform_bounds

from capas import categorias
from capas.auditoria import contexto_auditoria
from capas.importacion.informe import ImportacionRechazada, Progreso
from capas.importacion.seguridad import directorio_temporal, preparar_entrada
from capas.importacion.validacion import (
    extension_en_almacenamiento,
    nombre_en_base,
    validar_categoria,
    validar_nombre,
    validar_srid,
    verificar_entorno,
)
from capas.models import CapaRaster
from capas.srid import srid_almacenamiento

logger = logging.getLogger(__name__)

DIRECTORIO = "rasters"
TESELA = 512
# Píxeles máximos (ancho × alto × bandas): ~4 GiB en Float32, más que un DEM comunal a 1 m.
MAX_PIXELES = 1_000_000_000
MAX_BANDAS = 32
_OPCIONES_COG = {"COMPRESS": "DEFLATE", "BLOCKSIZE": TESELA, "OVERVIEWS": "AUTO", "BIGTIFF": "IF_SAFER"}
_OPCIONES_GTIFF = {
    "TILED": "YES",
    "BLOCKXSIZE": TESELA,
    "BLOCKYSIZE": TESELA,
    "COMPRESS": "DEFLATE",
    "BIGTIFF": "IF_SAFER",
}
# Sin archivos .aux.xml junto a los datos ni lecturas de directorio innecesarias.
_ENTORNO_GDAL = {"GDAL_PAM_ENABLED": "NO", "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR"}


@transaction.atomic
def raster_importar(
    *,
    ruta,
    nombre: str,
    titulo: str,
    categoria: str = categorias.RASTER,
    srid: int | None = None,
    confirmar_fuera: bool = False,
    descripcion: str = "",
    publica: bool = False,
    archivo_origen: str | None = None,
    actor=None,
    progreso: Progreso | None = None,
) -> CapaRaster:
    """Importa un GeoTIFF como CapaRaster; ante cualquier rechazo no deja filas ni archivos."""
    validar_nombre(nombre)
    validar_categoria(categoria)
    destino = Path(settings.MEDIA_ROOT) / DIRECTORIO / f"{nombre}.tif"
    with directorio_temporal() as temporal, rasterio.Env(**_ENTORNO_GDAL):
        entrada = preparar_entrada(ruta, temporal, nombre=archivo_origen)
        if not entrada.es_raster:
            raise ImportacionRechazada("El archivo no es un GeoTIFF.", codigo="formato")
        preparado = temporal / "salida.tif"
        with _datos_ilegibles_rechazados(entrada.ruta.name), _abrir(entrada.ruta) as fuente:
            crs, modo = _crs(fuente, srid)
            _validar_dimensiones(fuente)
            limites = transform_bounds(
                fuente.crs if modo == "reproyectar" else crs, "EPSG:4326", *fuente.bounds
            )
            extension = extension_en_almacenamiento(limites, srid_almacenamiento())
            aviso = verificar_entorno(extension, srid=crs.to_epsg(), confirmar_fuera=confirmar_fuera)
            _escribir(fuente, crs, modo, preparado, progreso)
            metadatos = _metadatos(preparado, progreso)
        destino.parent.mkdir(parents=True, exist_ok=True)
        try:
            with contexto_auditoria(actor=actor, origen="raster_importar"), nombre_en_base(nombre):
                capa = CapaRaster.objects.create(
                    nombre=nombre,
                    titulo=titulo,
                    categoria=categoria,
                    descripcion=descripcion,
                    informe={"avisos": [aviso] if aviso else []},
                    archivo=f"{DIRECTORIO}/{nombre}.tif",
                    archivo_origen=entrada.origen[:255],
                    extension=extension,
                    publica=publica,
                    creada_por=actor,
                    **metadatos,
                )
            # Se mueve al final: si algo falla antes, el archivo muere con el directorio temporal.
            _mover(preparado, destino)
        except OSError as error:
            destino.unlink(missing_ok=True)
            logger.warning("No se pudo guardar el ráster %s: %s", nombre, error)
            raise ImportacionRechazada(
                "No se pudo guardar el ráster en el almacenamiento del servidor.", codigo="escritura"
            )
    return capa


@contextlib.contextmanager
def _datos_ilegibles_rechazados(archivo: str):
    """Convierte un error de GDAL al leer bloques, overviews o datos comprimidos en un rechazo.

    Un GeoTIFF con cabecera sana y datos dañados (truncado, bloques DEFLATE/LZW corruptos) se abre
    bien y falla recién al leer píxeles, ya sea al copiar el COG o al calcular estadísticas; rasterio
    lanza entonces ``CPLE_*`` (que no hereda de RasterioError). El detalle de GDAL va al registro y no
    al usuario: puede nombrar rutas del servidor.
    """
    try:
        yield
    except (RasterioError, CPLE_BaseError, ValueError) as error:
        logger.info("GeoTIFF con datos ilegibles %s: %s", archivo, error)
        raise ImportacionRechazada(
            "El GeoTIFF está dañado o incompleto: GDAL no pudo leer sus píxeles (bloques, overviews o "
            "compresión). Vuelva a exportarlo desde el original.",
            codigo="contenido",
        ) from None


def _abrir(ruta: Path):
    """Abre el GeoTIFF solo con el controlador GTiff (nunca VRT ni otro que GDAL adivine)."""
    try:
        return rasterio.open(ruta, driver="GTiff")
    except RasterioError as error:
        logger.info("GeoTIFF ilegible %s: %s", ruta.name, error)
        raise ImportacionRechazada("El archivo no es un GeoTIFF legible.", codigo="contenido")


def _crs(fuente, srid: int | None) -> tuple[CRS, str]:
    """Devuelve (CRS de salida, modo): «asignar» ``srid``, «conservar» el EPSG o «reproyectar» a 4326."""
    if srid:
        return CRS.from_epsg(validar_srid(srid)), "asignar"
    if fuente.crs is None:
        raise ImportacionRechazada(
            "El GeoTIFF no declara su sistema de coordenadas; indique cuál es en el campo «SRID (EPSG)».",
            en_orden="El GeoTIFF no declara su sistema de coordenadas; indíquelo con --srid.",
            codigo="sin_crs",
        )
    if "://" in fuente.crs.to_wkt():
        raise ImportacionRechazada(
            "El GeoTIFF declara su sistema de coordenadas con una URL; escriba el código EPSG en el campo "
            "«SRID (EPSG)».",
            en_orden="El GeoTIFF declara su sistema de coordenadas con una URL; indique --srid.",
            codigo="crs_url",
        )
    try:
        codigo = fuente.crs.to_epsg()
    except CRSError:
        codigo = None
    if codigo:
        return CRS.from_epsg(codigo), "conservar"
    return CRS.from_epsg(srid_almacenamiento()), "reproyectar"


def _validar_dimensiones(fuente) -> None:
    """Rechaza rásteres vacíos, enormes o con demasiadas bandas."""
    if fuente.width < 1 or fuente.height < 1 or fuente.count < 1:
        raise ImportacionRechazada("El GeoTIFF no tiene píxeles.", codigo="contenido")
    if fuente.count > MAX_BANDAS or fuente.width * fuente.height * fuente.count > MAX_PIXELES:
        raise ImportacionRechazada(
            f"El ráster es demasiado grande ({fuente.width}×{fuente.height}×{fuente.count}); el máximo es "
            f"{MAX_PIXELES:,} píxeles y {MAX_BANDAS} bandas.".replace(",", "."),
            codigo="tamano",
        )
    if fuente.transform.is_identity and not fuente.gcps[0]:
        raise ImportacionRechazada("El GeoTIFF no está georreferenciado.", codigo="sin_georreferencia")


def _escribir(fuente, crs: CRS, modo: str, salida: Path, progreso) -> None:
    """Escribe el COG desde el original, con el CRS asignado o reproyectado."""
    origen = fuente
    if modo != "conservar":
        intermedio = salida.with_name("intermedio.tif")
        _copiar_por_ventanas(fuente, crs, modo, intermedio, progreso)
        origen = rasterio.open(intermedio, driver="GTiff")
    try:
        rasterio.shutil.copy(origen, salida, driver="COG", PREDICTOR=_predictor(origen), **_OPCIONES_COG)
    finally:
        if origen is not fuente:
            origen.close()


def _predictor(fuente) -> str:
    """Devuelve el predictor DEFLATE: 3 (flotante) o 2 (entero)."""
    return "3" if np.issubdtype(np.dtype(fuente.dtypes[0]), np.floating) else "2"


def _copiar_por_ventanas(fuente, crs: CRS, modo: str, salida: Path, progreso) -> None:
    """Copia el ráster por ventanas con el CRS asignado, o reproyectado (vecino más cercano).

    Se reproyecta ventana a ventana con ``reproject`` (GDAL lee solo la parte de la fuente que cubre
    cada ventana), no con WarpedVRT: crearlo vuelve a registrar el controlador VRT (capas.gdal_seguro).
    """
    if modo == "asignar":
        transformacion, ancho, alto = fuente.transform, fuente.width, fuente.height
    else:
        transformacion, ancho, alto = _malla_destino(fuente, crs)
    perfil = {
        "driver": "GTiff",
        "width": ancho,
        "height": alto,
        "count": fuente.count,
        "dtype": fuente.dtypes[0],
        "crs": crs,
        "transform": transformacion,
        "nodata": fuente.nodata,
        **{k.lower(): v for k, v in _OPCIONES_GTIFF.items()},
    }
    bandas = list(range(1, fuente.count + 1))
    with rasterio.open(salida, "w", **perfil) as destino:
        ventanas = list(destino.block_windows(1))
        for i, (_indice, ventana) in enumerate(ventanas, start=1):
            if modo == "asignar":
                datos = fuente.read(window=ventana)
            else:
                forma = (fuente.count, ventana.height, ventana.width)
                relleno = fuente.nodata if fuente.nodata is not None else 0
                datos = np.full(forma, relleno, dtype=fuente.dtypes[0])
                reproject(
                    source=rasterio.band(fuente, bandas),
                    destination=datos,
                    src_nodata=fuente.nodata,
                    dst_transform=destino.window_transform(ventana),
                    dst_crs=crs,
                    dst_nodata=fuente.nodata,
                    resampling=Resampling.nearest,
                )
            destino.write(datos, window=ventana)
            if progreso:
                progreso(i, len(ventanas))


def _malla_destino(fuente, crs: CRS) -> tuple[Affine, int, int]:
    """Devuelve (transformación, ancho, alto) en ``crs`` con tantos píxeles en diagonal como la fuente.

    Es el criterio de GDALSuggestedWarpOutput; rasterio lo calcula con un VRT, por eso se calcula aquí.
    """
    oeste, sur, este, norte = transform_bounds(fuente.crs, crs, *fuente.bounds, densify_pts=21)
    paso = math.hypot(este - oeste, norte - sur) / math.hypot(fuente.width, fuente.height)
    ancho, alto = max(1, math.ceil((este - oeste) / paso)), max(1, math.ceil((norte - sur) / paso))
    return Affine(paso, 0, oeste, 0, -paso, norte), ancho, alto


def _metadatos(ruta: Path, progreso) -> dict:
    """Devuelve dimensiones, tipo, resolución, sin dato, SRID y estadísticas por banda (por ventanas)."""
    with rasterio.open(ruta, driver="GTiff") as ds:
        estadisticas = []
        ventanas = list(ds.block_windows(1))
        for banda in range(1, ds.count + 1):
            estadisticas.append(_estadisticas_banda(ds, banda, ventanas))
            if progreso:
                progreso(banda, ds.count)
        return {
            "srid": ds.crs.to_epsg(),
            "ancho": ds.width,
            "alto": ds.height,
            "bandas": ds.count,
            "tipo_dato": ds.dtypes[0],
            "resolucion_x": abs(ds.transform.a),
            "resolucion_y": abs(ds.transform.e),
            "nodata": None if ds.nodata is None or math.isnan(ds.nodata) else float(ds.nodata),
            "estadisticas": estadisticas,
        }


def _estadisticas_banda(ds, banda: int, ventanas) -> dict:
    """Devuelve mínimo, máximo, media, desviación y conteos de una banda, acumulados por ventana."""
    minimo, maximo, suma, suma2, validos, sin_dato = math.inf, -math.inf, 0.0, 0.0, 0, 0
    for _indice, ventana in ventanas:
        datos = ds.read(banda, window=ventana, masked=True)
        valores = datos.compressed().astype("float64")
        valores = valores[np.isfinite(valores)]
        sin_dato += datos.size - valores.size
        if valores.size:
            minimo, maximo = min(minimo, float(valores.min())), max(maximo, float(valores.max()))
            suma += float(valores.sum())
            suma2 += float(np.square(valores).sum())
            validos += int(valores.size)
    if not validos:
        return {"banda": banda, "validos": 0, "sin_dato": sin_dato}
    media = suma / validos
    return {
        "banda": banda,
        "minimo": minimo,
        "maximo": maximo,
        "media": media,
        "desviacion": math.sqrt(max(suma2 / validos - media * media, 0.0)),
        "validos": validos,
        "sin_dato": sin_dato,
    }


def _mover(origen: Path, destino: Path) -> None:
    """Mueve el archivo a su destino sin dejarlo a medias (copia a un temporal vecino y renombra)."""
    parcial = destino.with_name(f".{destino.name}.parcial")
    try:
        shutil.copyfile(origen, parcial)
        os.replace(parcial, destino)
    finally:
        parcial.unlink(missing_ok=True)


@transaction.atomic
def raster_eliminar(*, capa: CapaRaster, actor=None) -> None:
    """Elimina la capa ráster y, cuando la transacción se confirma, su archivo (no antes)."""
    ruta = Path(settings.MEDIA_ROOT) / capa.archivo
    with contexto_auditoria(actor=actor, origen="raster_eliminar"):
        capa.delete()
    transaction.on_commit(lambda: ruta.unlink(missing_ok=True))
