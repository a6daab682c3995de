"""Comparación de dos momentos de una propuesta (dos etapas, o una etapa y el estado actual).

La diferencia de geometría la calcula PostGIS en el UTM de la comuna (``ST_Difference`` y
``ST_Intersection``): lo agregado, lo quitado y lo común, con su área en m². La del informe compara,
por categoría de restricción y por zona, el área antes y después y la condición del uso.
"""

from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from apps.nucleo.formatos import fecha_hora, superficie
from apps.ordenamiento.choices import Condicion
from apps.ordenamiento.models import PropuestaUsoSuelo
from apps.ordenamiento.superposicion import informe_de_propuesta

ACTUAL = "actual"
VEREDICTOS = {**dict(Condicion.choices), "sin_norma": "Sin norma"}


@dataclass(frozen=True)
class Momento:
    """La propuesta como estaba en una etapa (congelada) o como está ahora."""

    clave: str  # «actual» o el id de la etapa
    titulo: str
    geom: GEOSGeometry
    informe: dict


def opciones(propuesta: PropuestaUsoSuelo) -> list[tuple[str, str]]:
    """Devuelve los momentos que se pueden comparar: cada etapa, de la primera a la última, y el actual."""
    etapas = propuesta.etapas.select_related("actor").order_by("fecha", "pk").defer("geom", "informe")
    lista = [(str(e.pk), _titulo_etapa(n, e)) for n, e in enumerate(etapas, start=1)]
    lista.append((ACTUAL, f"Ahora ({propuesta.get_estado_display()}, versión {propuesta.version})"))
    return lista


def _titulo_etapa(numero: int, etapa) -> str:
    """Devuelve «Etapa 2: En revisión → Presentada al Concejo (02-12-2026 15:04)»."""
    paso = f"{etapa.get_desde_display()} → {etapa.get_hacia_display()}"
    return f"Etapa {numero}: {paso} ({fecha_hora(etapa.fecha)})"


def momento(propuesta: PropuestaUsoSuelo, clave: str) -> Momento | None:
    """Devuelve el momento ``clave`` de la propuesta, o None si no es suyo (el actual calcula el informe)."""
    if clave == ACTUAL:
        return Momento(
            ACTUAL, dict(opciones(propuesta))[ACTUAL], propuesta.geom, informe_de_propuesta(propuesta)
        )
    if not (clave.isascii() and clave.isdigit()) or len(clave) > 18:
        return None
    etapa = propuesta.etapas.filter(pk=int(clave)).first()
    if etapa is None:
        return None
    return Momento(clave, dict(opciones(propuesta))[clave], etapa.geom, etapa.informe)


@dataclass(frozen=True)
class DiferenciaGeometria:
    """Lo agregado, lo quitado y lo común entre dos polígonos (EPSG:4326), con áreas en m² (UTM)."""

    agregado: GEOSGeometry | None
    quitado: GEOSGeometry | None
    comun: GEOSGeometry | None
    area_antes_m2: float
    area_despues_m2: float
    area_agregada_m2: float
    area_quitada_m2: float
    area_comun_m2: float


_SQL_DIFERENCIA = """
WITH m AS (
    SELECT ST_Transform(ST_GeomFromEWKB(%(antes)s), %(srid)s) AS a,
           ST_Transform(ST_GeomFromEWKB(%(despues)s), %(srid)s) AS b
), d AS (
    SELECT a, b, ST_Difference(b, a) AS agregado, ST_Difference(a, b) AS quitado,
           ST_Intersection(a, b) AS comun
    FROM m
)
SELECT ST_Area(a), ST_Area(b), ST_Area(agregado), ST_Area(quitado), ST_Area(comun),
       CASE WHEN ST_IsEmpty(agregado) THEN NULL ELSE ST_AsEWKB(ST_Transform(agregado, 4326)) END,
       CASE WHEN ST_IsEmpty(quitado) THEN NULL ELSE ST_AsEWKB(ST_Transform(quitado, 4326)) END,
       CASE WHEN ST_IsEmpty(comun) THEN NULL ELSE ST_AsEWKB(ST_Transform(comun, 4326)) END
FROM d
"""


def _geometria(ewkb) -> GEOSGeometry | None:
    """Devuelve la geometría de un EWKB de PostGIS (None si vino vacía)."""
    return GEOSGeometry(memoryview(bytes(ewkb))) if ewkb is not None else None


def diferencia_geometria(
    antes: GEOSGeometry, despues: GEOSGeometry, *, srid_metrico: int
) -> DiferenciaGeometria:
    """Devuelve lo agregado, lo quitado y lo común de ``antes`` a ``despues`` (en una consulta)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _SQL_DIFERENCIA,
            {"antes": memoryview(antes.ewkb), "despues": memoryview(despues.ewkb), "srid": srid_metrico},
        )
        fila = cursor.fetchone()
    # Al centésimo de m²: el ruido de coma flotante no decide si una cifra se lee también en ha.
    antes_m2, despues_m2, agregada_m2, quitada_m2, comun_m2 = (round(a, 2) for a in fila[:5])
    return DiferenciaGeometria(
        agregado=_geometria(fila[5]),
        quitado=_geometria(fila[6]),
        comun=_geometria(fila[7]),
        area_antes_m2=antes_m2,
        area_despues_m2=despues_m2,
        area_agregada_m2=agregada_m2,
        area_quitada_m2=quitada_m2,
        area_comun_m2=comun_m2,
    )


@dataclass(frozen=True)
class FilaDiferencia:
    """Una fila de la tabla de diferencias del informe."""

    grupo: str  # «Propuesta», «Categoría» o «Zona»
    nombre: str
    antes_m2: float | None  # None: no estaba
    despues_m2: float | None
    condicion_antes: str
    condicion_despues: str

    @property
    def diferencia_m2(self) -> float:
        """Devuelve el área después menos la de antes (lo que no estaba cuenta como 0)."""
        return (self.despues_m2 or 0.0) - (self.antes_m2 or 0.0)

    @property
    def diferencia_texto(self) -> str:
        """Devuelve la diferencia con su signo («+5.000 m²», «−120 m²», «sin cambio»)."""
        diferencia = self.diferencia_m2
        if abs(diferencia) <= 0.005:
            return "sin cambio"
        return ("+" if diferencia > 0 else "−") + superficie(abs(diferencia))

    @property
    def cambio(self) -> bool:
        """Indica si la fila cambió (área o condición)."""
        return abs(self.diferencia_m2) > 0.005 or self.condicion_antes != self.condicion_despues


def _condicion(valor, ausente: bool) -> str:
    """Devuelve la condición legible («Prohibido»), «—» si no aplica o no estaba."""
    if ausente or valor is None:
        return "—"
    return VEREDICTOS.get(valor, str(valor))


def _filas(grupo: str, antes: list, despues: list, clave: str, nombre) -> list[FilaDiferencia]:
    """Devuelve las filas de un grupo, en el orden de ``antes`` y luego las nuevas de ``despues``."""
    previos = {item[clave]: item for item in antes}
    nuevos = {item[clave]: item for item in despues}
    filas = []
    for llave in [*previos, *(k for k in nuevos if k not in previos)]:
        a, d = previos.get(llave), nuevos.get(llave)
        filas.append(
            FilaDiferencia(
                grupo=grupo,
                nombre=nombre(d or a),
                antes_m2=a["area_m2"] if a else None,
                despues_m2=d["area_m2"] if d else None,
                condicion_antes=_condicion(a and a.get("condicion"), a is None),
                condicion_despues=_condicion(d and d.get("condicion"), d is None),
            )
        )
    return filas


def diferencias_informe(antes: dict, despues: dict) -> list[FilaDiferencia]:
    """Devuelve la tabla de diferencias entre dos informes: la propuesta, cada categoría y cada zona."""
    total = FilaDiferencia(
        grupo="Propuesta",
        nombre="Superficie y veredicto",
        antes_m2=antes.get("area_m2"),
        despues_m2=despues.get("area_m2"),
        condicion_antes=_condicion(antes.get("veredicto"), False),
        condicion_despues=_condicion(despues.get("veredicto"), False),
    )
    categorias = _filas(
        "Categoría",
        antes.get("categorias", []),
        despues.get("categorias", []),
        "categoria",
        lambda c: c.get("etiqueta") or c["categoria"],
    )
    zonas = _filas(
        "Zona",
        antes.get("zonas", []),
        despues.get("zonas", []),
        "zona",
        lambda z: f"{z.get('codigo', '')} {z.get('nombre', '')}".strip() or f"Zona {z['zona']}",
    )
    return [total, *categorias, *zonas]
