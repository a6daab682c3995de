"""Lectura de una capa para exportarla: una sentencia SQL, filas en lotes, columnas Arrow tipadas.

Cada capa se lee con UNA consulta sobre su ``FuenteSQL`` (cursor del lado del servidor, por lotes),
con la geometría como WKB en el SRID de exportación y cada atributo convertido en SQL a su tipo
lógico. Los lotes salen como ``pyarrow.RecordBatch`` y GDAL los escribe en bloque
(``pyogrio.raw.write_arrow``, una sola apertura del archivo): ningún objeto del ORM por elemento
y el fid (la clave primaria) viaja como columna, así que GDAL lo conserva.

Con ``legible=True`` (formatos para personas: CSV, KML, Shapefile) cada atributo sale como lo lee
una persona (``Atributo.legible``: «Servicio público», el nombre de la fuente, «Sí»/«No»), en texto.
GeoJSON y GeoPackage llevan los valores: el GeoPackage los traduce en QGIS con mapas de valores.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from django.db import connection
from pyogrio.raw import write_arrow

from capas.fuentes import TIPOS
from capas.registro import Capa

# GeoPackage, GeoJSON (RFC 7946), KML y QGIS esperan longitud/latitud WGS 84.
SRID_EXPORTACION = 4326
# Filas por viaje al servidor: entre 1.000 y 20.000 rinden igual (medido); 5.000 acota la
# memoria cuando los polígonos son grandes.
TAMANO_LOTE = 5_000
NOMBRE_FID = "fid"
COLUMNA_GEOMETRIA = "geom"
# Tipo Arrow de cada tipo lógico; GDAL los traduce a String, Integer64, Real, Date, DateTime (UTC)
# e Integer con subtipo Boolean, los mismos tipos OGR que declara ``capas.fuentes.TIPOS``.
TIPOS_ARROW = {
    "texto": pa.string(),
    "entero": pa.int64(),
    "decimal": pa.float64(),
    "fecha": pa.date32(),
    "fecha_hora": pa.timestamp("us", tz="UTC"),
    "booleano": pa.bool_(),
}


@dataclass(frozen=True)
class Columna:
    """Atributo exportado: nombre de salida, tipo lógico (``capas.fuentes.TIPOS``) y título."""

    nombre: str
    tipo: str
    titulo: str = ""

    @property
    def encabezado(self) -> str:
        """Devuelve el título para un encabezado o alias: los verbose_name («código BIP») con mayúscula."""
        return self.titulo[:1].upper() + self.titulo[1:]


def columnas(capa: Capa, *, legible: bool = False) -> list[Columna]:
    """Devuelve las columnas de atributos de la capa en el orden de su fuente (``legible``: en texto
    las que tienen etiqueta)."""
    return [
        Columna(a.nombre, a.tipo_legible if legible else a.tipo, a.titulo or a.nombre)
        for a in capa.fuente.atributos
    ]


def nombre_fid(cols: list[Columna]) -> str:
    """Devuelve el nombre de la columna del fid, distinto de todo atributo de la capa."""
    ocupados = {c.nombre.lower() for c in cols}
    nombre, n = NOMBRE_FID, 1
    while nombre.lower() in ocupados:
        nombre, n = f"{NOMBRE_FID}_{n}", n + 1
    return nombre


def consulta(capa: Capa, *, legible: bool = False) -> tuple[str, tuple]:
    """Devuelve la sentencia SQL (y sus parámetros) que lee toda la capa ordenada por fid (``legible``:
    los atributos como los lee una persona)."""
    fuente = capa.fuente
    geom = fuente.geom_salida
    if capa.tipo_geometria.startswith("Multi") and not fuente.multi:
        # Cada capa declara un tipo Multi* en el archivo: una geometría simple no debe colarse.
        geom = f"ST_Multi({geom})"
    partes = [f"({fuente.pk})::bigint", f"ST_AsBinary(ST_Transform({geom}, {SRID_EXPORTACION}))"]
    if legible:
        partes += [f"({a.legible})::{TIPOS[a.tipo_legible][0]}" for a in fuente.atributos]
    else:
        partes += [f"({a.expresion})::{TIPOS[a.tipo][0]}" for a in fuente.atributos]
    sql, parametros = fuente.seleccion(columnas=", ".join(partes))
    return f"{sql} ORDER BY 1", parametros


class Lectura:
    """Lectura en lotes de una capa: esquema Arrow, lotes y cuántos elementos entregó."""

    def __init__(self, capa: Capa, *, tamano_lote: int = TAMANO_LOTE, legible: bool = False):
        self.capa = capa
        self.legible = legible
        self.columnas = columnas(capa, legible=legible)
        self.fid = nombre_fid(self.columnas)
        self.tamano_lote = tamano_lote
        self.elementos = 0
        self.lotes = 0
        self.esquema = pa.schema(
            [
                pa.field(self.fid, pa.int64(), nullable=False),
                # large_binary: un lote de polígonos grandes puede pasar los 2 GB que admite binary.
                pa.field(COLUMNA_GEOMETRIA, pa.large_binary()),
                *(pa.field(c.nombre, TIPOS_ARROW[c.tipo]) for c in self.columnas),
            ]
        )

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        """Entrega la capa en lotes, en orden de fid, y va contando los elementos."""
        sql, parametros = consulta(self.capa, legible=self.legible)
        connection.ensure_connection()
        # Cursor del lado del servidor (las filas llegan por lotes, no toda la capa a la vez) y en
        # binario: la geometría llega como bytes, sin pasar por texto hexadecimal. En autocommit el
        # cursor debe sobrevivir al COMMIT de cada sentencia (WITH HOLD), como en Django.
        with connection.connection.cursor(
            name=f"exportar_{id(self):x}", binary=True, withhold=connection.get_autocommit()
        ) as cursor:
            cursor.execute(sql, parametros)
            while filas := cursor.fetchmany(self.tamano_lote):
                lote = self._lote(filas)
                self.elementos += lote.num_rows
                self.lotes += 1
                yield lote

    def lector(self, transformar=None, esquema: pa.Schema | None = None) -> pa.RecordBatchReader:
        """Devuelve un lector Arrow de la capa (con ``transformar`` aplicado a cada lote)."""
        lotes = iter(self) if transformar is None else (transformar(lote) for lote in self)
        return pa.RecordBatchReader.from_batches(esquema or self.esquema, lotes)

    def _lote(self, filas: list[tuple]) -> pa.RecordBatch:
        """Convierte filas (fid, wkb, atributos…) en un lote Arrow del esquema de la capa."""
        crudas = list(zip(*filas, strict=True))
        arreglos = [
            pa.array(valores, type=campo.type) for valores, campo in zip(crudas, self.esquema, strict=True)
        ]
        return pa.record_batch(arreglos, schema=self.esquema)


def conteos(capas: list[Capa]) -> dict[str, int]:
    """Devuelve cuántos elementos tiene cada capa (misma fuente y filtro que la lectura), en una sola
    sentencia para todas."""
    if not capas:
        return {}
    partes, parametros = [], []
    for capa in capas:
        sql, p = capa.fuente.seleccion(columnas="count(*)")
        partes.append(f"SELECT %s, ({sql})")
        parametros.extend((capa.nombre, *p))
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(partes), parametros)
        return dict(cursor.fetchall())


def escribir(lector: pa.RecordBatchReader, ruta: Path, driver: str, capa: Capa, **opciones) -> None:
    """Escribe con GDAL el flujo de lotes de la capa en ``ruta`` (geometría y CRS de exportación)."""
    write_arrow(
        lector,
        str(ruta),
        driver=driver,
        geometry_name=COLUMNA_GEOMETRIA,
        geometry_type=capa.tipo_geometria,
        crs=f"EPSG:{SRID_EXPORTACION}",
        **{"layer": capa.nombre, **opciones},
    )
