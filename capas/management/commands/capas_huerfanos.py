"""Orden: lista (o borra con --borrar) lo que quedó sin dueño: GeoTIFF sin capa, carpetas de trabajo
y temporales de importación."""

from capas.importacion.huerfanos import rasters_huerfanos, rasters_huerfanos_borrar
from capas.management.orden import Orden
from capas.trabajos.conserje import carpetas_sin_trabajo_vivo, conserje_correr, temporales_viejos


class Command(Orden):
    """Encuentra rásteres sin capa, carpetas de trabajos terminados y temporales viejos."""

    help = (
        "Lista los archivos ráster sin capa, las carpetas de trabajos ya terminados y los temporales "
        "territorio-importar-* viejos; --borrar los elimina (y marca fallidos los trabajos muertos)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--borrar", action="store_true", help="Elimina lo encontrado.")
        parser.add_argument(
            "--antiguedad-min",
            type=float,
            default=60,
            help="Solo rásteres y temporales sin cambios hace más de estos minutos (por omisión 60).",
        )

    def handle(self, *args, **opciones):
        minutos = opciones["antiguedad_min"]
        if opciones["borrar"]:
            rasters = rasters_huerfanos_borrar(antiguedad_min=minutos)
            limpieza = conserje_correr(temporales_min=minutos)
            carpetas, temporales, verbo = limpieza.carpetas, limpieza.temporales, "Borrados"
        else:
            rasters = rasters_huerfanos(antiguedad_min=minutos)
            carpetas, temporales = carpetas_sin_trabajo_vivo(), temporales_viejos(antiguedad_min=minutos)
            verbo = "Sin dueño"
        for ruta in [*rasters, *carpetas, *temporales]:
            self.stdout.write(str(ruta))
        self.stdout.write(
            f"{verbo}: {len(rasters)} archivos ráster, {len(carpetas)} carpetas de trabajo y "
            f"{len(temporales)} temporales."
        )
