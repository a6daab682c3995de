"""Orden: importa una capa vectorial o ráster desde un archivo, con barra de progreso.

Corre el mismo trabajo que la web, en línea (sin cola) pero en el mismo proceso hijo acotado: con
los mismos topes de tiempo y memoria (CAPAS_TRABAJOS_*).
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.text import slugify
from tqdm import tqdm

from capas import categorias
from capas.importacion.informe import Observacion, lineas
from capas.importacion.seguridad import anuncia_raster
from capas.importacion.trabajo import TIPO
from capas.management.orden import Orden
from capas.models import CapaRaster, CapaReferencia
from capas.trabajos.ejecucion import trabajo_ejecutar
from capas.trabajos.models import EstadoTrabajo
from capas.trabajos.services import trabajo_crear


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
        if opciones["categoria"] and opciones["categoria"] not in categorias.valores():
            raise CommandError(
                f"Categoría «{opciones['categoria']}» no válida. Use una de: "
                f"{', '.join(categorias.valores())}."
            )
        ruta = Path(opciones["ruta"])
        nombre = opciones["nombre"] or _nombre_desde(ruta)
        es_raster = anuncia_raster(ruta.name, ruta if ruta.is_file() else None)
        categoria = opciones["categoria"] or (categorias.RASTER if es_raster else categorias.REFERENCIA)
        parametros = {
            # Absoluta si existe (el hijo corre en otro directorio); si no, tal cual, para que el
            # importador explique por qué no la acepta.
            "ruta": str(ruta.absolute()) if ruta.is_file() else opciones["ruta"],
            "nombre": nombre,
            "titulo": opciones["titulo"] or ruta.stem,
            "categoria": categoria,
            "srid": opciones["srid"],
            "confirmar_fuera": opciones["confirmar_fuera"],
            "publica": opciones["publica"],
            "reparar": opciones["reparar"],
            "capa": opciones["capa"],
            "todas": opciones["todas"],
            "descripcion": opciones["descripcion"],
            "es_raster": es_raster,
            # Los rechazos hablan de las opciones de la orden (--srid), no de los campos del formulario.
            "desde_orden": True,
        }
        trabajo = trabajo_crear(tipo=TIPO.nombre, parametros=parametros, encolar=False)
        with tqdm(desc=f"Importando {ruta.name}", unit=" elem.", disable=opciones["verbosity"] == 0) as barra:

            def progreso(hechos: int, total: int) -> None:
                barra.total = total
                barra.n = hechos
                barra.refresh()

            try:
                trabajo = trabajo_ejecutar(trabajo.pk, progreso=progreso)
            except KeyboardInterrupt:
                raise CommandError("Importación interrumpida; no se guardó nada.")
        if trabajo.estado != EstadoTrabajo.TERMINADO:
            mensaje = trabajo.error
            if trabajo.resultado.get("motivo") == "rechazo":
                mensaje = "No se importó nada. " + "\n".join(
                    [mensaje, *(f"  - {d}" for d in trabajo.detalles)]
                )
            raise CommandError(mensaje)
        resumen = []
        for datos in trabajo.resultado["capas"]:
            if datos["clase"] == "raster":
                capa = CapaRaster.objects.get(pk=datos["id"])
                resumen.append(
                    f"Ráster «{capa.nombre}» importado: {capa.ancho}×{capa.alto}, EPSG:{capa.srid}."
                )
            else:
                resumen += _resumen(CapaReferencia.objects.get(pk=datos["id"]))
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
        f"Capa «{capa.nombre}» importada: {capa.n_elementos} "
        f"{'elemento' if capa.n_elementos == 1 else 'elementos'} ({capa.tipo_geometria}) desde "
        f"EPSG:{capa.srid_origen}; codificación {informe.get('codificacion', '')}; "
        f"{informe.get('n_reparados', 0)} reparados, {informe.get('n_omitidos', 0)} omitidos."
    ]
    for clave in ("reparados", "omitidos"):
        observaciones = [Observacion(**o) for o in informe.get(clave, [])]
        lineas_resumen += [f"  {clave}: {texto}" for texto in lineas(observaciones)]
    lineas_resumen += [f"  aviso: {aviso}" for aviso in informe.get("avisos", [])]
    return lineas_resumen
