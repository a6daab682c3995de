"""La importación como trabajo: la función que corre el hijo, su limpieza y el contexto de su página."""

import logging
import re
from pathlib import Path

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from pyogrio.errors import DataLayerError, DataSourceError
from rasterio.errors import RasterioError

from capas.importacion.informe import ImportacionRechazada
from capas.importacion.raster import DIRECTORIO, raster_importar
from capas.importacion.vectorial import capa_importar, capas_importar_todas
from capas.models import CapaRaster, CapaReferencia
from capas.registro import RE_NOMBRE
from capas.trabajos.tipos import TipoTrabajo, TrabajoRechazado

logger = logging.getLogger(__name__)

TIPO = TipoTrabajo(
    nombre="importacion",
    sujeto="La importación",
    titulo="Importación de capa",
    funcion="capas.importacion.trabajo.importar",
    limpiar="capas.importacion.trabajo.limpiar",
    plantilla="capas/_importacion_resultado.html",
    contexto="capas.importacion.trabajo.contexto",
)
# Fallas de GDAL o del disco que escapan a las defensas: se informan en español, sin traza.
_ERRORES_SISTEMA = (OSError, GDALException, RasterioError, DataSourceError, DataLayerError)


def importar(trabajo, progreso) -> dict:
    """Importa la capa descrita en los parámetros del trabajo; devuelve las capas creadas."""
    p = trabajo.parametros
    comunes = {
        "ruta": p["ruta"],
        "nombre": p["nombre"],
        "titulo": p["titulo"],
        "categoria": p["categoria"],
        "srid": p.get("srid"),
        "confirmar_fuera": p.get("confirmar_fuera", False),
        "publica": p.get("publica", False),
        "actor": trabajo.usuario,
        "progreso": progreso,
    }
    archivo = {"archivo_origen": p.get("archivo_origen"), "descripcion": p.get("descripcion", "")}
    try:
        if p.get("es_raster"):
            capas = [raster_importar(**comunes, **archivo)]
        elif p.get("todas"):
            capas = capas_importar_todas(**comunes, reparar=p.get("reparar", False))
        else:
            capas = [
                capa_importar(
                    **comunes, **archivo, reparar=p.get("reparar", False), capa_gpkg=p.get("capa") or None
                )
            ]
    except ImportacionRechazada as rechazo:
        # La orden capas_importar explica con sus opciones (--srid); la web, con los campos del formulario.
        raise TrabajoRechazado(
            rechazo.texto(para_orden=p.get("desde_orden", False)), detalles=rechazo.detalles
        )
    except _ERRORES_SISTEMA as error:
        nombre = p.get("archivo_origen") or Path(p["ruta"]).name
        logger.warning("Falla del sistema al importar %s: %s", nombre, error)
        raise TrabajoRechazado(
            f"No se pudo leer o escribir «{nombre}» (permisos, disco o GDAL); revise el archivo y el "
            "registro del servidor."
        )
    return {
        "capas": [
            {"clase": "raster" if isinstance(c, CapaRaster) else "vectorial", "id": c.pk, "nombre": c.nombre}
            for c in capas
        ]
    }


def limpiar(parametros: dict, hasta: float) -> None:
    """Borra el GeoTIFF (o su copia parcial) que un hijo muerto dejó sin capa, si es anterior a ``hasta``."""
    nombre = str(parametros.get("nombre", ""))
    if not parametros.get("es_raster") or not re.fullmatch(RE_NOMBRE, nombre):
        return
    relativo = f"{DIRECTORIO}/{nombre}.tif"
    if CapaRaster.objects.filter(archivo=relativo).exists():
        return
    destino = Path(settings.MEDIA_ROOT) / relativo
    for ruta in (destino, destino.with_name(f".{destino.name}.parcial")):
        try:
            if ruta.stat().st_mtime <= hasta:
                ruta.unlink()
        except FileNotFoundError:
            continue


def contexto(trabajo) -> dict:
    """Devuelve las capas creadas por el trabajo, para mostrar su informe."""
    capas = []
    for datos in trabajo.resultado.get("capas", []):
        modelo = CapaRaster if datos["clase"] == "raster" else CapaReferencia
        capa = modelo.objects.filter(pk=datos["id"]).first()
        if capa is not None:
            capas.append({"capa": capa, "es_raster": modelo is CapaRaster})
    return {"capas": capas}
