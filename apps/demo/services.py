"""Conjunto de demostración determinista: mismos registros y geometrías en cada carga.

Cada registro lleva ``es_demo=True`` y su nombre empieza con «[DEMO]», para que nadie lo confunda
con datos reales; ``demo_eliminar`` los quita todos sin tocar los reales.
"""

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.gis.geos import GEOSGeometry, LineString, Point, Polygon, WKTWriter
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from stdnum.cl import rut

from apps.comunas.choices import TipoLocalidad
from apps.comunas.models import Comuna, Localidad
from apps.demo.ordenamiento import (
    capas_demo,
    demo_ordenamiento_cargar,
    demo_ordenamiento_eliminar,
    es_parte_de_demo,
)
from apps.nucleo.auditoria import contexto_auditoria
from apps.ordenamiento.models import PropuestaUsoSuelo, Zona
from apps.patrimonio import choices as pat
from apps.patrimonio.models import Activo, BienInmueble, Concesion
from apps.proyectos import choices as pro
from apps.proyectos.models import FuenteFinanciamiento, Proyecto
from capas.geometria import a_multi
from capas.srid import reproyectar

PREFIJO = "[DEMO] "
_ESCRITOR_WKT = WKTWriter(precision=7)
# Orden de borrado: primero lo que referencia a otros.
MODELOS_DEMO = (Concesion, Activo, Proyecto, PropuestaUsoSuelo, Zona, BienInmueble, Localidad)

# Proyectos en el centro de un pueblo (índice en PROYECTOS → tipo de la localidad real), para que
# el mapa temático de inversión por sector tenga inversión urbana y rural.
EN_PUEBLO = {0: TipoLocalidad.CAPITAL, 2: TipoLocalidad.CAPITAL, 8: TipoLocalidad.PUEBLO}
PROYECTOS = [
    ("Mejoramiento plaza de armas", "proyecto", "ejecucion", "municipal", "pmu", "polygon"),
    ("Reposición sede social sector Los Robles", "proyecto", "diseno", "municipal", "fril", "point"),
    ("Construcción aceras calle principal", "proyecto", "perfil", "municipal", "pmu", "line"),
    ("Abasto de agua potable rural", "proyecto", "factibilidad", "servicio_publico", "sectorial", "point"),
    (
        "Pavimentación camino a la costa",
        "proyecto",
        "prefactibilidad",
        "servicio_publico",
        "sectorial",
        "line",
    ),
    ("Estudio plan de gestión de residuos", "estudio_basico", "idea", "municipal", "fndr", "polygon"),
    ("Programa de recuperación de espacios públicos", "programa", "ejecucion", "municipal", "pmb", "polygon"),
    ("Conservación escuela rural", "proyecto", "ejecucion", "municipal", "circular-33", "point"),
    ("Alumbrado público fotovoltaico", "proyecto", "operacion", "municipal", "fndr", "line"),
    ("Centro de acopio agrícola", "proyecto", "idea", "privado", "privado", "point"),
]
INMUEBLES = [
    ("Estadio municipal", "deportivo", "dominio", "regular", pat.TipoActivo.ESTADIO),
    ("Gimnasio municipal", "deportivo", "dominio", "regular", pat.TipoActivo.GIMNASIO),
    ("Terminal de buses", "equipamiento", "destinacion", "en_saneamiento", pat.TipoActivo.TERMINAL),
    ("Plaza de armas", "area_verde", "dominio", "regular", pat.TipoActivo.BNUP),
    ("Sede social Hualpín", "equipamiento", "comodato", "irregular", pat.TipoActivo.SEDE),
    ("Mercado municipal", "equipamiento", "posesion", "en_saneamiento", pat.TipoActivo.MERCADO),
]


class Generador:
    """Produce geometrías y valores pseudoaleatorios reproducibles dentro de la comuna."""

    def __init__(self, comuna: Comuna):
        self.azar = random.Random(int(comuna.cut))
        self.srid = comuna.limite.srid
        self.metrico = comuna.srid_metrico
        # Margen interior de 300 m para que cada figura completa quede dentro del límite.
        self.interior = reproyectar(comuna.limite, self.metrico).buffer(-300)
        self.xmin, self.ymin, self.xmax, self.ymax = self.interior.extent
        self.cerca: Point | None = None

    def _punto_metrico(self) -> Point:
        """Devuelve un punto interior en el SRID métrico (muestreo por rechazo); con ``cerca``, a
        menos de 150 m (en x e y) de ese punto."""
        while True:
            if self.cerca is None:
                x = self.azar.uniform(self.xmin, self.xmax)
                y = self.azar.uniform(self.ymin, self.ymax)
            else:
                x = self.cerca.x + self.azar.uniform(-150, 150)
                y = self.cerca.y + self.azar.uniform(-150, 150)
            punto = Point(x, y, srid=self.metrico)
            if self.interior.contains(punto):
                return punto

    def _interior(self, geom):
        """Devuelve la geometría en el SRID de almacenamiento si cabe en la comuna, o None."""
        if not self.interior.contains(geom):
            return None
        return _redondeado(reproyectar(geom, self.srid))

    def punto(self) -> Point:
        """Devuelve un punto interior."""
        return self._interior(self._punto_metrico())

    def linea(self, largo_m: float = 800) -> LineString:
        """Devuelve un tramo recto interior de ``largo_m`` metros."""
        while True:
            a = self._punto_metrico()
            angulo = self.azar.uniform(0, math.pi)
            b = Point(a.x + largo_m * math.cos(angulo), a.y + largo_m * math.sin(angulo))
            linea = self._interior(LineString(a, b, srid=self.metrico))
            if linea:
                return linea

    def rectangulo(self, ancho_m: float, alto_m: float) -> Polygon:
        """Devuelve un rectángulo interior de ``ancho_m`` × ``alto_m`` metros."""
        while True:
            c = self._punto_metrico()
            x0, y0, x1, y1 = c.x - ancho_m / 2, c.y - alto_m / 2, c.x + ancho_m / 2, c.y + alto_m / 2
            anillo = ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))
            rect = self._interior(Polygon(anillo, srid=self.metrico))
            if rect:
                return rect

    def rut(self) -> str:
        """Devuelve un RUT válido de persona jurídica (76–77 millones)."""
        cuerpo = str(self.azar.randint(76_000_000, 77_999_999))
        return rut.format(cuerpo + rut.calc_check_digit(cuerpo))


def hay_demo() -> bool:
    """Indica si ya hay registros de demostración cargados."""
    return capas_demo().exists() or any(
        modelo.objects.filter(es_demo=True).exists() for modelo in MODELOS_DEMO
    )


@transaction.atomic
def demo_cargar(*, comuna: Comuna, actor=None) -> dict[str, int]:
    """Carga el conjunto de demostración en la comuna; devuelve cuántos registros creó por tipo."""
    if hay_demo():
        raise ValueError("Ya hay datos de demostración: elimínelos antes con demo_eliminar.")
    gen = Generador(comuna)
    hoy = date(2026, 1, 1)  # fecha fija: la demo es idéntica en cada carga
    creados = {}
    with contexto_auditoria(actor=actor, origen="demo_cargar"):
        sector = _guardar(
            Localidad(
                comuna=comuna,
                nombre=f"{PREFIJO}Sector Los Robles",
                tipo=TipoLocalidad.SECTOR,
                ubicacion=gen.punto(),
                fuente="Generada para la demostración",
            )
        )
        creados["localidades"] = 1
        fuentes = {f.codigo: f for f in FuenteFinanciamiento.objects.all()}
        pueblos = {
            loc.tipo: reproyectar(loc.ubicacion, gen.metrico)
            for loc in Localidad.objects.filter(comuna=comuna, es_demo=False).order_by("-pk")
        }
        geometrias = {
            "point": gen.punto,
            "line": lambda: gen.linea(200 if gen.cerca else 800),  # en un pueblo, una calle
            "polygon": lambda: gen.rectangulo(gen.azar.randint(60, 200), gen.azar.randint(60, 200)),
        }
        for i, (nombre, tipologia, etapa, institucion, fuente, forma) in enumerate(PROYECTOS):
            solicitado = gen.azar.randint(20, 900) * 1_000_000
            gen.cerca = pueblos.get(EN_PUEBLO.get(i))
            _guardar(
                Proyecto(
                    comuna=comuna,
                    codigo_bip=f"{40_100_000 + i * 37:08d}-{i % 10}",
                    codigo_licitacion=_codigo_licitacion(i, etapa),
                    nombre=f"{PREFIJO}{nombre}",
                    tipologia=tipologia,
                    etapa=etapa,
                    institucion=institucion,
                    institucion_nombre="" if institucion == pro.Institucion.MUNICIPAL else "Servicio demo",
                    unidad_tecnica="SECPLAC" if institucion == pro.Institucion.MUNICIPAL else "",
                    fuente=fuentes.get(fuente),
                    monto_solicitado=solicitado,
                    monto_aprobado=solicitado if etapa in ("ejecucion", "operacion") else None,
                    localidad=sector if i % 3 == 0 else None,
                    geom=geometrias[forma](),
                )
            )
        gen.cerca = None
        creados["proyectos"] = len(PROYECTOS)
        for i, (nombre, destino, tenencia, saneamiento, tipo_activo) in enumerate(INMUEBLES):
            rect = gen.rectangulo(gen.azar.randint(40, 160), gen.azar.randint(40, 160))
            inmueble = _guardar(
                BienInmueble(
                    comuna=comuna,
                    nombre=f"{PREFIJO}{nombre}",
                    rol_manzana=500 + i * 7,
                    rol_predio=gen.azar.randint(1, 40),
                    destino=destino,
                    tenencia=tenencia,
                    estado_saneamiento=saneamiento,
                    conservador="CBR demo",
                    cbr_registro=pat.RegistroCBR.PROPIEDAD,
                    cbr_fojas=gen.azar.randint(1, 900),
                    cbr_fojas_vuelta=bool(i % 2),
                    cbr_numero=gen.azar.randint(1, 1500),
                    cbr_anio=1980 + i * 6,
                    geom=a_multi(rect),
                    superficie_m2=Decimal(f"{reproyectar(rect, comuna.srid_metrico).area:.2f}"),
                )
            )
            activo = _guardar(
                Activo(
                    comuna=comuna,
                    inmueble=inmueble,
                    nombre=f"{PREFIJO}{nombre}",
                    tipo=tipo_activo,
                    ubicacion=_redondeado(inmueble.geom.point_on_surface),
                )
            )
            if i < 4:
                inicio = hoy - timedelta(days=gen.azar.randint(30, 900))
                _guardar(
                    Concesion(
                        comuna=comuna,
                        activo=activo,
                        tipo=pat.TipoConcesion.ARRIENDO if i % 2 else pat.TipoConcesion.CONCESION,
                        titular_nombre=f"{PREFIJO}Titular {i + 1} SpA",
                        titular_rut=gen.rut(),
                        fecha_inicio=inicio,
                        fecha_termino=inicio + timedelta(days=365 * (2 + i)),
                        canon_clp=gen.azar.randint(5, 80) * 10_000,
                        periodicidad=pat.Periodicidad.MENSUAL,
                        geom=inmueble.geom,
                    )
                )
        creados.update(inmuebles=len(INMUEBLES), activos=len(INMUEBLES), concesiones=4)
        creados.update(
            demo_ordenamiento_cargar(gen=gen, comuna=comuna, actor=actor, prefijo=PREFIJO, guardar=_guardar)
        )
    return creados


class DemoConDependencias(Exception):
    """Hay datos reales que dependen de registros de demostración."""


@transaction.atomic
def demo_eliminar(*, actor=None) -> int:
    """Elimina todos los registros de demostración (y solo esos); devuelve cuántos borró.

    Revisa con el mismo recolector que usa Django que nada real se borre en cascada ni quede con
    una referencia anulada; si algo real depende de la demo, revierte todo y no borra nada.
    """
    total = 0
    with contexto_auditoria(actor=actor, origen="demo_eliminar"):
        total += demo_ordenamiento_eliminar()
        # Modelo por modelo, como QuerySet.delete(): cada recolector ve la base tras los borrados
        # anteriores y revela qué más tocaría (cascadas, referencias anuladas, protegidas).
        for modelo in MODELOS_DEMO:
            demo = modelo.objects.filter(es_demo=True)
            recolector = Collector(using=demo.db, origin=demo)
            try:
                recolector.collect(demo)
            except ProtectedError as error:
                raise DemoConDependencias(_reales(error.protected_objects))
            tocados = [o for objetos in recolector.data.values() for o in objetos]
            tocados += [o for lotes in recolector.field_updates.values() for lote in lotes for o in lote]
            # Las cascadas «rápidas» (sin señales) no pasan por data: también se revisan.
            tocados += [o for consulta in recolector.fast_deletes for o in consulta]
            reales = [o for o in tocados if not (getattr(o, "es_demo", False) or es_parte_de_demo(o))]
            if reales:
                raise DemoConDependencias(_reales(reales))
            borrados, _detalle = recolector.delete()
            total += borrados
    return total


def _reales(objetos) -> str:
    """Devuelve el aviso con algunos de los registros reales que dependen de la demo."""
    nombres = sorted({f"{o._meta.verbose_name} «{o}»" for o in objetos})
    return (
        "No se eliminó nada: hay datos reales que dependen de registros de demostración: "
        + ", ".join(nombres[:5])
        + ("…" if len(nombres) > 5 else ".")
    )


def _codigo_licitacion(i: int, etapa: str) -> str:
    """Devuelve un CodigoExterno de Mercado Público ficticio para los proyectos ya licitados."""
    if etapa not in (pro.Etapa.DISENO, pro.Etapa.EJECUCION, pro.Etapa.OPERACION):
        return ""
    return f"1509-{5 + i}-{'LE' if i % 2 else 'L1'}{14 + i % 10:02d}"


def _guardar(registro):
    """Valida y guarda un registro de demostración."""
    registro.es_demo = True
    registro.full_clean()
    registro.save()
    return registro


def _redondeado(geom):
    """Devuelve la geometría con 7 decimales (~1 cm): igual en cualquier máquina."""
    return GEOSGeometry(_ESCRITOR_WKT.write(geom).decode(), srid=geom.srid)
