"""Orden: crea la franja de protección de cauces (capa «cauces») a partir de una capa de ríos.

Corre el mismo trabajo que la página /ordenamiento/restricciones/franja-cauces/, en línea (sin cola)
pero en el mismo proceso hijo acotado, con los topes de tiempo y memoria de CAPAS_TRABAJOS_*.
"""

from django.core.management.base import CommandError

from apps.nucleo.formatos import numero, superficie
from apps.ordenamiento.cauces.services import ANCHO_MAX_M, ANCHO_MIN_M, PeticionFranja
from apps.ordenamiento.cauces.trabajo import TIPO, parametros_de
from capas.management.orden import Orden
from capas.models import CapaReferencia
from capas.trabajos.ejecucion import trabajo_ejecutar
from capas.trabajos.models import EstadoTrabajo
from capas.trabajos.services import trabajo_crear


class Command(Orden):
    """Crea la capa «cauces» con el buffer de una capa de ríos (todo o nada)."""

    help = (
        "Crea una capa de restricción «Franja de protección de cauces» con el buffer, de --ancho metros a "
        "cada lado, de los ríos y esteros de la capa de referencia --origen. Calcula en el UTM de la comuna "
        "y recorta al límite comunal; ante cualquier rechazo no escribe nada y sale con código 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--origen", required=True, help="Identificador de la capa de ríos (líneas o polígonos)."
        )
        parser.add_argument(
            "--ancho",
            type=float,
            help=f"Ancho en metros a cada lado ({ANCHO_MIN_M:g}–{ANCHO_MAX_M:g}); por omisión "
            "TERRITORIO_FRANJA_CAUCES_M.",
        )
        parser.add_argument("--nombre", help="Identificador de la capa nueva; por omisión franja-<origen>.")
        parser.add_argument("--titulo", default="", help="Título legible de la capa nueva.")
        parser.add_argument(
            "--disolver", action="store_true", help="Une todas las franjas en un solo elemento."
        )
        parser.add_argument("--publica", action="store_true", help="La capa se puede leer sin sesión.")
        parser.add_argument("--descripcion", default="", help="Descripción de la capa.")

    def handle(self, *args, **opciones):
        peticion = PeticionFranja(
            origen=opciones["origen"],
            nombre=opciones["nombre"] or f"franja-{opciones['origen']}"[:63].rstrip("-_"),
            ancho_m=opciones["ancho"],
            titulo=opciones["titulo"],
            disolver=opciones["disolver"],
            publica=opciones["publica"],
            descripcion=opciones["descripcion"],
        )
        trabajo = trabajo_crear(
            tipo=TIPO.nombre, parametros=parametros_de(peticion, desde_orden=True), encolar=False
        )
        try:
            trabajo = trabajo_ejecutar(trabajo.pk)
        except KeyboardInterrupt:
            raise CommandError("Franja interrumpida; no se guardó nada.")
        if trabajo.estado != EstadoTrabajo.TERMINADO:
            mensaje = trabajo.error
            if trabajo.resultado.get("motivo") == "rechazo":
                mensaje = "No se creó la franja. " + "\n".join(
                    [mensaje, *(f"  - {d}" for d in trabajo.detalles)]
                )
            raise CommandError(mensaje)
        capa = CapaReferencia.objects.get(pk=trabajo.resultado["capas"][0]["id"])
        franja = capa.informe["franja"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Capa «{capa.nombre}» creada: {capa.n_elementos} "
                f"{'elemento' if capa.n_elementos == 1 else 'elementos'} (MultiPolygon), franja de "
                f"{numero(franja['ancho_m'], 1)} m de «{franja['capa_origen']}» en "
                f"EPSG:{franja['srid_metrico']}, {superficie(franja['area_m2'])}."
            )
        )
        for aviso in capa.informe.get("avisos", [])[1:]:
            self.stdout.write(f"  aviso: {aviso}")
