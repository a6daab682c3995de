"""Orden: importa una capa vectorial o ráster desde un archivo, con barra de progreso."""

import logging
from pathlib import Path

from django.contrib.gis.gdal import GDALException
from django.core.management.base import CommandError
from django.utils.text import slugify
from pyogrio.errors import DataLayerError, DataSourceError
from rasterio.errors import RasterioError
from tqdm import tqdm

from capas.choices import CategoriaCapa
from capas.importacion.informe import ImportacionRechazada, Observacion, lineas
from capas.importacion.raster import raster_importar
from capas.importacion.seguridad import anuncia_raster
from capas.importacion.vectorial import capa_importar, capas_importar_todas
from capas.management.orden import Orden

logger = logging.getLogger(__name__)
# Fallas de GDAL o del disco que escapan a las defensas: se informan en español, sin traza.
_ERRORES_SISTEMA = (OSError, GDALException, RasterioError, DataSourceError, DataLayerError)


class Command(Orden):
    """Importa una capa de referencia o de restricción (todo o nada)."""

    help = (
        "Importa una capa desde Shapefile (.zip o .shp), GeoPackage, GeoJSON, KML/KMZ, CSV (WKT o lon/lat) "
        "o GeoTIFF. Reproyecta al SRID de almacenamiento; ante cualquier rechazo no escribe nada y sale "
        "con código distinto de 0."
    )

    def add_arguments(self, parser):
        parser.add_argument("ruta", help="Archivo local a importar.")
        parser.add_argument("--nombre", help="Identificador (slug) de la capa; por defecto, el del archivo.")
        parser.add_argument("--titulo", help="Título legible; por defecto, el nombre del archivo.")
        parser.add_argument(
            "--categoria",
            help="Categoría (referencia, área protegida, humedal…); por defecto «referencia» o «raster».",
        )
        parser.add_argument("--srid", type=int, help="SRID EPSG de las coordenadas (reemplaza al declarado).")
        parser.add_argument("--reparar", action="store_true", help="Repara geometrías inválidas (MakeValid).")
        parser.add_argument(
            "--confirmar-fuera", action="store_true", help="Importa aunque la capa no toque la comuna."
        )
        parser.add_argument("--capa", help="Capa a importar de un GeoPackage o KML con varias.")
        parser.add_argument(
            "--todas", action="store_true", help="Importa cada capa del archivo como <nombre>-<capa>."
        )
        parser.add_argument("--publica", action="store_true", help="La capa se puede leer sin sesión.")
        parser.add_argument("--descripcion", default="", help="Descripción de la capa.")

    def handle(self, *args, **opciones):
        if opciones["categoria"] and opciones["categoria"] not in CategoriaCapa.values:
            raise CommandError(
                f"Categoría «{opciones['categoria']}» no válida. Use una de: "
                f"{', '.join(CategoriaCapa.values)}."
            )
        ruta = Path(opciones["ruta"])
        nombre = opciones["nombre"] or _nombre_desde(ruta)
        es_raster = anuncia_raster(ruta.name, ruta if ruta.is_file() else None)
        categoria = opciones["categoria"] or (CategoriaCapa.RASTER if es_raster else CategoriaCapa.REFERENCIA)
        comunes = {
            "ruta": opciones["ruta"],
            "nombre": nombre,
            "titulo": opciones["titulo"] or ruta.stem,
            "categoria": categoria,
            "srid": opciones["srid"],
            "confirmar_fuera": opciones["confirmar_fuera"],
            "publica": opciones["publica"],
        }
        with tqdm(desc=f"Importando {ruta.name}", unit=" elem.", disable=opciones["verbosity"] == 0) as barra:

            def progreso(hechos: int, total: int) -> None:
                barra.total = total
                barra.n = hechos
                barra.refresh()

            try:
                if es_raster:
                    capa = raster_importar(**comunes, descripcion=opciones["descripcion"], progreso=progreso)
                    resumen = [
                        f"Ráster «{capa.nombre}» importado: {capa.ancho}×{capa.alto}, EPSG:{capa.srid}."
                    ]
                elif opciones["todas"]:
                    capas = capas_importar_todas(**comunes, reparar=opciones["reparar"], progreso=progreso)
                    resumen = [linea for c in capas for linea in _resumen(c)]
                else:
                    capa = capa_importar(
                        **comunes,
                        reparar=opciones["reparar"],
                        capa_gpkg=opciones["capa"],
                        descripcion=opciones["descripcion"],
                        progreso=progreso,
                    )
                    resumen = _resumen(capa)
            except ImportacionRechazada as error:
                raise CommandError(f"No se importó nada. {error}")
            except _ERRORES_SISTEMA as error:
                logger.warning("Falla del sistema al importar %s: %s", ruta, error)
                raise CommandError(
                    f"No se importó nada. No se pudo leer o escribir «{ruta.name}» (permisos, disco o GDAL); "
                    "revise el archivo y el registro del servidor."
                )
        self.stdout.write(self.style.SUCCESS(resumen[0]))
        for linea in resumen[1:]:
            self.stdout.write(linea)


def _nombre_desde(ruta: Path) -> str:
    """Devuelve un identificador a partir del nombre del archivo (empieza con letra)."""
    nombre = slugify(ruta.stem).replace("_", "-")[:63]
    return nombre if nombre[:1].isalpha() else f"capa-{nombre}"[:63]


def _resumen(capa) -> list[str]:
    """Devuelve las líneas del resumen de una capa vectorial importada."""
    informe = capa.informe
    lineas_resumen = [
        f"Capa «{capa.nombre}» importada: {capa.n_elementos} elementos ({capa.tipo_geometria}) desde "
        f"EPSG:{capa.srid_origen}; codificación {informe.get('codificacion', '')}; "
        f"{informe.get('n_reparados', 0)} reparados, {informe.get('n_omitidos', 0)} omitidos."
    ]
    for clave in ("reparados", "omitidos"):
        observaciones = [Observacion(**o) for o in informe.get(clave, [])]
        lineas_resumen += [f"  {clave}: {texto}" for texto in lineas(observaciones)]
    lineas_resumen += [f"  aviso: {aviso}" for aviso in informe.get("avisos", [])]
    return lineas_resumen
