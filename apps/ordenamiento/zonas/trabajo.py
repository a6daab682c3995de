"""La importación de zonas como trabajo acotado: la función del hijo, el contexto de su página y los campos.

La web la arma en dos pasos: al subir el archivo se crea el trabajo con una ejecución de vencimiento
en una hora (así el conserje no lo da por muerto mientras se elige el mapeo); al confirmar el mapeo se
encola ya. Si nadie lo confirma, la ejecución vencida lo rechaza y el motor borra su carpeta.
"""

import logging
from datetime import timedelta
from pathlib import Path

from django.contrib.gis.gdal import GDALException
from pyogrio.errors import DataLayerError, DataSourceError

from apps.ordenamiento.models import Zona
from apps.ordenamiento.zonas.importacion import PedidoZonas, zonas_importar
from apps.ordenamiento.zonas.normativa import tabla_leer
from capas.importacion.informe import ImportacionRechazada
from capas.importacion.lectores import LectorVectorial
from capas.importacion.seguridad import directorio_temporal, preparar_entrada
from capas.trabajos.tipos import TipoTrabajo, TrabajoRechazado

logger = logging.getLogger(__name__)

TIPO = TipoTrabajo(
    nombre="zonas_importacion",
    sujeto="La importación de zonas",
    titulo="Importación de zonificación",
    funcion="apps.ordenamiento.zonas.trabajo.importar",
    plantilla="ordenamiento/zonas/_importacion_resultado.html",
    contexto="apps.ordenamiento.zonas.trabajo.contexto",
)
# Tiempo que espera un trabajo a que se confirme su mapeo (paso 2 de la web).
ESPERA_MAPEO = timedelta(hours=1)
_ERRORES_SISTEMA = (OSError, GDALException, DataSourceError, DataLayerError)


def importar(trabajo, progreso) -> dict:
    """Importa las zonas descritas en los parámetros del trabajo; devuelve el resumen."""
    p = trabajo.parametros
    if not p.get("mapeo"):
        raise TrabajoRechazado(
            "La importación venció sin que se confirmara el mapeo de campos; no se importó nada. Suba el "
            "archivo de nuevo."
        )
    pedido = PedidoZonas.desde_dict({k: p[k] for k in PedidoZonas.__dataclass_fields__ if k in p})
    try:
        return zonas_importar(pedido, actor=trabajo.usuario, progreso=progreso)
    except ImportacionRechazada as rechazo:
        raise TrabajoRechazado(
            rechazo.texto(para_orden=p.get("desde_orden", False)), detalles=rechazo.detalles
        )
    except _ERRORES_SISTEMA as error:
        nombre = p.get("archivo_origen") or Path(p["ruta"]).name
        logger.warning("Falla del sistema al importar zonas de %s: %s", nombre, error)
        raise TrabajoRechazado(
            f"No se pudo leer «{nombre}» (permisos, disco o GDAL); revise el archivo y el registro del "
            "servidor."
        )


def contexto(trabajo) -> dict:
    """Devuelve el resumen y las zonas del instrumento importado, para la página del trabajo."""
    resultado = trabajo.resultado
    zonas = Zona.objects.filter(
        instrumento=resultado.get("instrumento"), nombre_instrumento=resultado.get("nombre_instrumento")
    ).order_by("codigo")
    return {"resumen": resultado, "zonas": zonas[:500]}


def campos_de(
    *, ruta: str, archivo_origen: str, capa: str = "", tabla: str = "", tabla_origen: str = ""
) -> dict:
    """Devuelve los campos del archivo de zonas y las columnas de la tabla de normas, para mapearlos.

    Lee con los lectores endurecidos solo el primer lote (lanza ImportacionRechazada si no puede).
    """
    with directorio_temporal() as temporal:
        entrada = preparar_entrada(ruta, temporal, nombre=archivo_origen)
        if entrada.es_raster:
            raise ImportacionRechazada(
                "El archivo es un ráster: la zonificación son polígonos.", codigo="formato"
            )
        lector = LectorVectorial(entrada, capa=capa or None)
        ejemplos: dict[str, list] = {}
        for lote in lector.lotes(5):
            for fila in lote.filas:
                for nombre, valor in fila.items():
                    ejemplos.setdefault(nombre, []).append(valor)
            break
        campos = [
            {"nombre": c.nombre, "tipo": c.tipo, "ejemplos": ejemplos.get(c.nombre, [])[:3]}
            for c in lector.campos
        ]
    columnas = tabla_leer(tabla, nombre=tabla_origen)[0] if tabla else []
    return {"campos": campos, "columnas": columnas, "elementos": lector.total}
