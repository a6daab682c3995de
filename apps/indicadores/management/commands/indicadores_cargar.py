"""Orden: carga la serie de la UTM o de la UF desde un CSV «fecha,valor» del Banco Central."""

from pathlib import Path

from django.core.management.base import CommandError

from apps.indicadores.choices import Indicador
from apps.indicadores.services import SerieInvalida, indicadores_cargar
from capas.management.orden import Orden


class Command(Orden):
    """Crea o corrige los valores de la serie (todo o nada)."""

    help = "Carga la serie mensual de la UTM o diaria de la UF (CSV «fecha,valor» del Banco Central)."

    def add_arguments(self, parser):
        parser.add_argument("indicador", choices=Indicador.values, help="utm o uf.")
        parser.add_argument("archivo", type=Path, help="CSV con encabezado fecha,valor (fecha aaaa-mm-dd).")

    def handle(self, *args, **opciones):
        try:
            resumen = indicadores_cargar(ruta=opciones["archivo"], indicador=opciones["indicador"])
        except SerieInvalida as error:
            raise CommandError(f"{error} No se cambió nada.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{opciones['indicador'].upper()}: {resumen.creados} valores nuevos, {resumen.actualizados} "
                f"corregidos ({resumen.desde:%d-%m-%Y} a {resumen.hasta:%d-%m-%Y})."
            )
        )
