"""Orden: carga las zonas urbanas censales y el resto rural de la comuna con su población (Censo 2017)."""

from pathlib import Path

from django.core.management.base import CommandError

from apps.comunas.censo import localidades_censo_cargar
from apps.comunas.fuentes import FuenteInvalida
from apps.comunas.selectors import comuna_configurada
from capas.management.orden import Orden


class Command(Orden):
    """Crea o actualiza los sectores censales (área y población) de la comuna configurada."""

    help = (
        "Crea o actualiza las localidades de las zonas urbanas censales INE 2017 y el resto rural "
        "de la comuna, con su área y su población del Censo 2017 (todo o nada)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--zonas", required=True, type=Path, help="GeoJSON de zonas censales INE 2017.")
        parser.add_argument(
            "--poblacion-zonas", required=True, type=Path, help="CSV geocodigo,edad,poblacion (chilemapas)."
        )
        parser.add_argument(
            "--poblacion-comunas",
            required=True,
            type=Path,
            help="CSV codigo_comuna,edad,sexo,poblacion (chilemapas).",
        )

    def handle(self, *args, **opciones):
        comuna = comuna_configurada()
        if comuna is None:
            raise CommandError("Primero cargue la comuna: ./run manage comuna_cargar")
        try:
            resumen = localidades_censo_cargar(
                comuna=comuna,
                zonas=opciones["zonas"],
                poblacion_zonas=opciones["poblacion_zonas"],
                poblacion_comunas=opciones["poblacion_comunas"],
            )
        except FuenteInvalida as error:
            raise CommandError(f"{error} No se cambió nada.")
        self.stdout.write(self.style.SUCCESS(describir(comuna, resumen)))


def describir(comuna, resumen: dict) -> str:
    """Devuelve el resumen de la carga en una línea (población con punto de miles)."""
    zonas = ", ".join(f"{nombre} {_miles(n)}" for nombre, n in resumen["zonas"])
    return (
        f"Sectores censales de {comuna}: {zonas}; resto rural {_miles(resumen['rural'])} "
        f"(comuna {_miles(resumen['comuna'])}); {resumen['creadas']} creados, "
        f"{resumen['actualizadas']} actualizados."
    )


def _miles(n: int) -> str:
    return f"{n:,}".replace(",", ".")
