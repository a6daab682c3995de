"""Orden: prepara (disuelve y fragmenta) las capas de restricción de las comunas para el análisis."""

from django.core.management.base import CommandError

from apps.comunas.models import Comuna
from apps.ordenamiento.preparacion import restricciones_preparar
from capas.management.orden import Orden


class Command(Orden):
    """Prepara lo que no esté vigente (o todo, con --todas) en la comuna dada o en todas."""

    help = "Disuelve y fragmenta las capas de restricción para el informe de superposición."

    def add_arguments(self, parser):
        parser.add_argument("--cut", help="CUT de la comuna (por omisión, todas las cargadas).")
        parser.add_argument("--todas", action="store_true", help="Rehace también lo que sigue vigente.")

    def handle(self, *args, **opciones):
        comunas = Comuna.objects.all()
        if opciones["cut"]:
            comunas = comunas.filter(cut=opciones["cut"])
            if not comunas.exists():
                raise CommandError(f"No hay una comuna cargada con CUT {opciones['cut']}.")
        for comuna in comunas:
            hechas = restricciones_preparar(comuna, todas=opciones["todas"])
            fragmentos = sum(hechas.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"{comuna}: {len(hechas)} capas o categorías preparadas, {fragmentos} fragmentos."
                    if hechas
                    else f"{comuna}: todo estaba vigente."
                )
            )
