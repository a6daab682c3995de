"""Orden: exporta capas a GeoPackage, proyecto QGIS, GeoJSON, Shapefile, KML o CSV."""

from django.core.management.base import CommandError
from tqdm import tqdm

from capas.exportacion.servicios import (
    FORMATOS,
    FormatoNoSoportado,
    SinCapas,
    capas_a_exportar,
    exportar_capas,
    formato_por_clave,
)
from capas.management.orden import Orden
from capas.registro import CapaNoEncontrada


class Command(Orden):
    """Exporta capas del registro a un archivo."""

    help = (
        "Exporta capas (todas, o las de --capas) al formato pedido. Con gpkg y qgis se incluye el "
        "estilo de cada capa; varias capas en GeoJSON, KML o CSV, y todo Shapefile, van en un zip."
    )

    def add_arguments(self, parser):
        parser.add_argument("--formato", required=True, help=f"Uno de: {', '.join(FORMATOS)}.")
        parser.add_argument("--capas", default="", help="Nombres separados por coma (por defecto, todas).")
        parser.add_argument(
            "--salida", required=True, help="Archivo a escribir, o carpeta existente (nombre automático)."
        )

    def handle(self, *args, **opciones):
        nombres = opciones["capas"].split(",")
        try:
            formato = formato_por_clave(opciones["formato"])
            # Desde la consola del servidor se exporta sin filtro de permisos (todas=True).
            capas = capas_a_exportar(nombres, todas=True)
            with tqdm(
                total=len(capas), unit="capa", desc=formato.nombre, disable=opciones["verbosity"] == 0
            ) as barra:

                def avance(capa, elementos):
                    barra.set_postfix_str(f"{capa.nombre}: {elementos}")
                    barra.update(1)

                resultado = exportar_capas(capas, formato, opciones["salida"], al_terminar=avance)
        except (FormatoNoSoportado, CapaNoEncontrada, SinCapas) as error:
            raise CommandError(str(error))
        n, total = len(resultado.capas), sum(resultado.elementos.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{formato.nombre}: {n} capa{'s' if n != 1 else ''}, {total} elementos en {resultado.ruta} "
                f"({resultado.segundos:.2f} s)."
            )
        )
