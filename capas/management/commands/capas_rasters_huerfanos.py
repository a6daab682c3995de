"""Orden: lista (o borra con --borrar) los GeoTIFF sin capa (capas_huerfanos cubre también temporales)."""

from capas.importacion.huerfanos import rasters_huerfanos, rasters_huerfanos_borrar
from capas.management.orden import Orden


class Command(Orden):
    """Encuentra los archivos ráster que ninguna capa nombra."""

    help = "Lista los archivos ráster sin capa (importaciones revertidas); --borrar los elimina."

    def add_arguments(self, parser):
        parser.add_argument("--borrar", action="store_true", help="Elimina los archivos encontrados.")
        parser.add_argument(
            "--antiguedad-min",
            type=float,
            default=60,
            help="Solo archivos sin cambios hace más de estos minutos (por omisión 60).",
        )

    def handle(self, *args, **opciones):
        if opciones["borrar"]:
            archivos = rasters_huerfanos_borrar(antiguedad_min=opciones["antiguedad_min"])
            verbo = "Borrados"
        else:
            archivos = rasters_huerfanos(antiguedad_min=opciones["antiguedad_min"])
            verbo = "Sin capa"
        for ruta in archivos:
            self.stdout.write(str(ruta))
        self.stdout.write(f"{verbo}: {len(archivos)} archivos.")
