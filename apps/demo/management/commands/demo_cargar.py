"""Orden: carga el conjunto de demostración en la comuna configurada."""

from django.core.management.base import CommandError

from apps.comunas.censo import censo_desde_datos_reales
from apps.comunas.fuentes import FuenteInvalida
from apps.comunas.management.commands.localidades_censo_cargar import describir
from apps.comunas.selectors import comuna_configurada
from apps.demo.services import demo_cargar
from capas.management.orden import Orden


class Command(Orden):
    """Carga la demostración."""

    help = "Carga los datos de demostración (marcados [DEMO]) en la comuna configurada."

    def handle(self, *args, **opciones):
        comuna = comuna_configurada()
        if comuna is None:
            raise CommandError("Primero cargue la comuna: ./run manage comuna_cargar")
        try:
            creados = demo_cargar(comuna=comuna)
        except ValueError as error:
            raise CommandError(str(error))
        detalle = ", ".join(f"{n} {tipo}" for tipo, n in creados.items())
        self.stdout.write(self.style.SUCCESS(f"Demostración cargada en {comuna}: {detalle}."))
        # Los sectores censales son datos reales (no [DEMO]): dan población a los mapas temáticos.
        try:
            resumen = censo_desde_datos_reales(comuna=comuna)
        except FuenteInvalida as error:
            raise CommandError(f"Sectores censales: {error} No se cambió nada.")
        if resumen is None:
            self.stdout.write("Sin datos reales del Censo 2017 (TERRITORIO_DATOS_REALES): sin sectores.")
        else:
            self.stdout.write(self.style.SUCCESS(describir(comuna, resumen)))
