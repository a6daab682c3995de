"""Orden: importa la zonificación de un instrumento desde un archivo, con mapeo de campos (todo o nada).

Corre el mismo trabajo que la web, en línea (sin cola) pero en el proceso hijo acotado del motor.
"""

from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from apps.comunas.selectors import comuna_configurada
from apps.ordenamiento.choices import InstrumentoPlanificacion
from apps.ordenamiento.zonas.importacion import Mapeo, PedidoZonas
from apps.ordenamiento.zonas.trabajo import TIPO
from capas.management.orden import Orden
from capas.trabajos.ejecucion import trabajo_ejecutar
from capas.trabajos.models import EstadoTrabajo
from capas.trabajos.services import trabajo_crear

# Opción de la orden → dato del mapeo.
OPCIONES_MAPEO = {
    "campo_nombre": "nombre",
    "campo_densidad": "densidad",
    "campo_altura": "altura",
    "campo_constructibilidad": "constructibilidad",
    "campo_ocupacion": "ocupacion",
    "campo_superficie_predial": "superficie_predial",
    "campo_antejardin": "antejardin",
    "campo_uso_permitido": "uso_permitido",
    "campo_uso_condicionado": "uso_condicionado",
    "campo_uso_prohibido": "uso_prohibido",
    "tabla_campo_codigo": "codigo_tabla",
}


def _ruta(texto: str | None) -> str:
    """Devuelve la ruta absoluta si el archivo existe (el hijo corre en otro directorio); si no, tal cual."""
    if not texto:
        return ""
    ruta = Path(texto)
    return str(ruta.absolute()) if ruta.is_file() else texto


class Command(Orden):
    """Importa las zonas de un PRC, PRI o plan seccional con sus normas y usos."""

    help = (
        "Importa la zonificación desde Shapefile (.zip), GeoPackage, GeoJSON o KML, con el campo de cada "
        "dato (código, nombre, normas, usos). Las normas y usos pueden venir de una tabla CSV/XLSX unida por "
        "código "
        "(--normativa). Ante cualquier problema no escribe nada y sale con código 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("ruta", help="Archivo de zonas (polígonos).")
        parser.add_argument("--instrumento", required=True, choices=InstrumentoPlanificacion.values)
        parser.add_argument("--nombre-instrumento", default="", help="P. ej. «PRC Teodoro Schmidt 2015».")
        parser.add_argument("--campo-codigo", required=True, help="Campo con el código de la zona.")
        parser.add_argument(
            "--campo-nombre", default="", help="Campo con el nombre (por omisión, el código)."
        )
        for opcion, dato in OPCIONES_MAPEO.items():
            if opcion not in ("campo_nombre", "tabla_campo_codigo"):
                parser.add_argument(
                    f"--{opcion.replace('_', '-')}", default="", help=f"Campo o columna: {dato}."
                )
        parser.add_argument(
            "--normativa", default="", help="Tabla CSV/XLSX de normas y usos, unida por código."
        )
        parser.add_argument(
            "--tabla-campo-codigo", default="", help="Columna del código en la tabla (si difiere)."
        )
        parser.add_argument(
            "--unir-por-codigo", action="store_true", help="Une los polígonos que repiten código."
        )
        parser.add_argument(
            "--reemplazar", action="store_true", help="Sincroniza las zonas ya cargadas del instrumento."
        )
        parser.add_argument("--reparar", action="store_true", help="Repara geometrías inválidas (MakeValid).")
        parser.add_argument("--srid", type=int, help="SRID EPSG de las coordenadas (reemplaza al declarado).")
        parser.add_argument("--capa", default="", help="Capa del GeoPackage/KML con varias.")

    def handle(self, *args, **opciones):
        comuna = comuna_configurada(con_geometrias=False)
        if comuna is None:
            raise CommandError("Aún no se configura la comuna: cárguela primero (comuna_cargar).")
        mapeo = Mapeo(codigo=opciones["campo_codigo"], **{d: opciones[o] for o, d in OPCIONES_MAPEO.items()})
        pedido = PedidoZonas(
            ruta=_ruta(opciones["ruta"]),
            comuna_id=comuna.pk,
            instrumento=opciones["instrumento"],
            nombre_instrumento=opciones["nombre_instrumento"],
            mapeo=mapeo,
            archivo_origen=Path(opciones["ruta"]).name,
            tabla=_ruta(opciones["normativa"]),
            tabla_origen=Path(opciones["normativa"]).name if opciones["normativa"] else "",
            reemplazar=opciones["reemplazar"],
            unir_por_codigo=opciones["unir_por_codigo"],
            srid=opciones["srid"],
            capa=opciones["capa"],
            reparar=opciones["reparar"],
        )
        trabajo = trabajo_crear(
            tipo=TIPO.nombre, parametros={**pedido.como_dict(), "desde_orden": True}, encolar=False
        )
        nombre = Path(opciones["ruta"]).name
        with tqdm(desc=f"Importando {nombre}", unit=" elem.", disable=opciones["verbosity"] == 0) as barra:

            def progreso(hechos: int, total: int) -> None:
                barra.total, barra.n = total, hechos
                barra.refresh()

            try:
                trabajo = trabajo_ejecutar(trabajo.pk, progreso=progreso)
            except KeyboardInterrupt:
                raise CommandError("Importación interrumpida; no se guardó nada.")
        if trabajo.estado != EstadoTrabajo.TERMINADO:
            raise CommandError("\n".join([trabajo.error, *(f"  - {d}" for d in trabajo.detalles)]))
        r = trabajo.resultado
        self.stdout.write(
            self.style.SUCCESS(
                f"Zonas de «{r['nombre_instrumento'] or r['instrumento']}» importadas: {r['zonas']} zonas "
                f"({r['creadas']} nuevas, {r['actualizadas']} actualizadas, {r['eliminadas']} eliminadas) y "
                f"{r['usos']} usos, desde {r['elementos']} elementos en EPSG:{r['srid_origen']}."
            )
        )
        for aviso in r.get("avisos", []):
            self.stdout.write(f"  aviso: {aviso}")
