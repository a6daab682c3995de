"""Lectura de capas vectoriales con pyogrio (GDAL) por lotes Arrow, con la codificación correcta.

Los shapefiles de servicios públicos chilenos suelen venir en Latin-1 sin .cpg: sin .cpg se prueba
el DBF como UTF-8 y, si no decodifica, se lee como CP1252 (Latin-1 con los signos de Windows).
Un CSV que no es UTF-8 se recodifica a UTF-8 en el directorio temporal (GDAL solo entrega UTF-8 por
Arrow). Los CSV se leen sin adivinar tipos: todo es texto, así un CUT «09117» conserva su cero.
"""

import codecs
import datetime
import decimal
import logging
import math
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyogrio
import pyogrio.raw
from pyogrio.errors import DataLayerError, DataSourceError

from capas.importacion.contenido import hermano
from capas.importacion.informe import ImportacionRechazada
from capas.importacion.seguridad import Entrada

logger = logging.getLogger(__name__)

# Columnas que GDAL toma como geometría en un CSV: WKT o lon/lat (se buscan sin distinguir mayúsculas).
OPCIONES_CSV = {
    "GEOM_POSSIBLE_NAMES": "wkt,geom,geometria,geometry,the_geom",
    "X_POSSIBLE_NAMES": "lon,longitud,long,lng,x,este",
    "Y_POSSIBLE_NAMES": "lat,latitud,y,norte",
    "KEEP_GEOM_COLUMNS": "NO",
}
# Campos técnicos que LIBKML agrega a todo KML (estilo y tiempo); se descartan si vienen vacíos.
CAMPOS_LIBKML = frozenset(
    {"id", "Name", "description", "timestamp", "begin", "end", "altitudeMode", "tessellate", "extrude",
     "visibility", "drawOrder", "icon", "snippet"}
)  # fmt: skip
_CARTA_CP1252 = "cp1252"
# Formatos que pueden traer varias capas (los demás traen una sola).
MULTICAPA = frozenset({"GPKG", "KML"})
# Nombres que chocan con columnas propias al leer o exportar la capa (fid, geometría, id de OGC API).
RESERVADOS = frozenset({"fid", "geom", "geometry", "id"})


@dataclass(frozen=True)
class Campo:
    """Atributo de la capa: nombre normalizado, tipo lógico (ver capas.fuentes.TIPOS) y nombre original."""

    nombre: str
    tipo: str
    original: str = ""


@dataclass
class Lote:
    """Elementos leídos juntos: fid de origen, WKB (o None) y atributos ya aptos para JSON."""

    fids: list[int]
    wkbs: list[bytes | None]
    filas: list[dict] = field(default_factory=list)


class LectorVectorial:
    """Abre una capa de una entrada verificada y la entrega por lotes."""

    def __init__(self, entrada: Entrada, *, capa: str | None = None):
        self.entrada = entrada
        self.ruta = entrada.ruta
        self.codificacion, self._encoding = _codificacion(entrada)
        self.opciones = OPCIONES_CSV if entrada.controlador == "CSV" else {}
        self.capa = _elegir_capa(self.ruta, capa, entrada.controlador)
        try:
            info = pyogrio.read_info(
                self.ruta,
                layer=self.capa,
                encoding=self._encoding,
                force_feature_count=True,
                force_total_bounds=True,
                **self.opciones,
            )
        except (DataSourceError, DataLayerError) as error:
            logger.warning("GDAL no pudo leer %s: %s", entrada.origen, error)
            raise ImportacionRechazada(
                f"GDAL no pudo leer «{entrada.origen}»: el archivo está dañado o no es del formato "
                "que indica.",
                codigo="lectura",
            )
        # pyogrio no deja nombrar el controlador al abrir: GDAL elige entre los de la lista blanca
        # (capas.gdal_seguro) y aquí se exige el de la extensión (un .csv con GeoJSON no pasa).
        if info["driver"] not in entrada.controladores:
            raise ImportacionRechazada(
                f"«{entrada.origen}» no es un {entrada.controlador} válido: su contenido es de otro formato.",
                codigo="controlador",
            )
        self.controlador = info["driver"]
        self.crs: str | None = info["crs"]
        self.total: int = max(int(info["features"] or 0), 0)
        self.limites = info["total_bounds"]
        self.campos: list[Campo] = []
        # Campos con algún valor distinto del vacío o del valor por defecto de LIBKML (-1, 0).
        self.con_valor: set[str] = set()

    def lotes(self, tamano: int) -> Iterator[Lote]:
        """Entrega los elementos en lotes de ``tamano``; fija ``campos`` al abrir la capa."""
        try:
            with pyogrio.raw.open_arrow(
                self.ruta,
                layer=self.capa,
                encoding=self._encoding,
                return_fids=True,
                batch_size=tamano,
                use_pyarrow=True,
                **self.opciones,
            ) as (_meta, lector):
                esquema = lector.schema
                indice_geom = _indice_geometria(esquema)
                atributos = [i for i in range(1, len(esquema)) if i != indice_geom]
                originales = [esquema.field(i).name for i in atributos]
                self.campos = [
                    Campo(nombre, tipo_logico(esquema.field(i).type), original)
                    for i, original, nombre in zip(
                        atributos, originales, normalizar_nombres(originales), strict=True
                    )
                ]
                for lote in lector:
                    convertido = _convertir(lote, indice_geom, atributos, self.campos)
                    for fila in convertido.filas if self.controlador in ("KML", "LIBKML") else ():
                        self.con_valor.update(k for k, v in fila.items() if v not in (None, "", -1, 0))
                    yield convertido
        except (DataSourceError, DataLayerError, UnicodeDecodeError) as error:
            logger.warning("GDAL no pudo leer %s: %s", self.entrada.origen, error)
            raise ImportacionRechazada(
                f"GDAL no pudo leer «{self.entrada.origen}»: hay elementos dañados o texto en una "
                "codificación inesperada.",
                codigo="lectura",
            )

    def renombrados(self) -> list[dict]:
        """Devuelve los campos cuyo nombre se cambió al importar: [{"original", "nombre"}]."""
        return [{"original": c.original, "nombre": c.nombre} for c in self.campos if c.original != c.nombre]


def normalizar_nombres(nombres: list[str]) -> list[str]:
    """Devuelve nombres de campo usables: sin espacios en los bordes, no vacíos, no reservados, únicos.

    Vacío → ``campo_<n>`` (posición desde 1); reservado (fid, geom, geometry, id) → ``<nombre>_attr``;
    repetido sin distinguir mayúsculas → ``<nombre>_2``, ``_3``… Tildes y eñes se conservan.
    """
    usados: set[str] = set()
    resultado = []
    for posicion, original in enumerate(nombres, start=1):
        nombre = original.strip() or f"campo_{posicion}"
        if nombre.lower() in RESERVADOS:
            nombre = f"{nombre}_attr"
        candidato, sufijo = nombre, 2
        while candidato.lower() in usados or candidato.lower() in RESERVADOS:
            candidato, sufijo = f"{nombre}_{sufijo}", sufijo + 1
        usados.add(candidato.lower())
        resultado.append(candidato)
    return resultado


def capas_de(ruta: Path) -> list[str]:
    """Devuelve los nombres de las capas con geometría de un archivo (p. ej. un GeoPackage)."""
    try:
        return [str(nombre) for nombre, tipo in pyogrio.list_layers(ruta) if tipo is not None]
    except DataSourceError as error:
        logger.warning("GDAL no pudo listar las capas de %s: %s", ruta.name, error)
        raise ImportacionRechazada(
            "GDAL no pudo abrir el archivo: está dañado o no es del formato que indica.", codigo="lectura"
        )


def _elegir_capa(ruta: Path, capa: str | None, controlador: str) -> str | None:
    """Devuelve la capa pedida o la única con geometría; si hay varias sin elegir, rechaza listándolas."""
    if controlador not in MULTICAPA:
        return None
    nombres = capas_de(ruta)
    if capa is not None:
        if capa not in nombres:
            raise ImportacionRechazada(
                f"El archivo no tiene la capa «{capa}»; tiene: {', '.join(nombres) or 'ninguna'}.",
                codigo="capa",
            )
        return capa
    if not nombres:
        raise ImportacionRechazada("El archivo no tiene capas con geometría.", codigo="vacia")
    if len(nombres) > 1:
        base = f"El archivo ({controlador}) tiene {len(nombres)} capas: {', '.join(nombres)}. Indique cuál "
        raise ImportacionRechazada(
            base + "importar en el campo «Capa del GeoPackage/KML».",
            en_orden=base + "importar (--capa), o impórtelas todas (--todas), cada una como su propia capa.",
            codigo="varias_capas",
        )
    return nombres[0]


def _codificacion(entrada: Entrada) -> tuple[str, str | None]:
    """Devuelve (descripción para el informe, encoding para pyogrio o None si GDAL ya la conoce)."""
    if entrada.controlador == "ESRI Shapefile":
        cpg = hermano(entrada.ruta, ".cpg")
        if cpg is not None:
            return f"{cpg.read_text('latin-1').strip()} (declarada en .cpg)", None
        # El .dbf existe: preparar_entrada (contenido._shapefile) ya rechazó el shapefile sin él.
        codificacion = _codificacion_dbf(hermano(entrada.ruta, ".dbf"))
        return f"{codificacion} (detectada; el shapefile no trae .cpg)", codificacion
    if entrada.controlador == "CSV" and not _decodifica(entrada.ruta, 0, "utf-8"):
        _recodificar(entrada.ruta)
        return "CP1252/Latin-1 (detectada; recodificada a UTF-8)", None
    return "UTF-8", None


def _codificacion_dbf(dbf: Path) -> str:
    """Devuelve 'UTF-8' si los nombres y registros del DBF decodifican como UTF-8; si no, CP1252."""
    with dbf.open("rb") as archivo:
        cabecera = archivo.read(32)
    if len(cabecera) < 32:
        raise ImportacionRechazada("El .dbf del shapefile está truncado.", codigo="contenido")
    largo_cabecera = int.from_bytes(cabecera[8:10], "little")
    # Cabecera binaria (conteos en bytes ≥ 0x80) fuera: solo nombres de campo y registros.
    if _nombres_dbf_utf8(dbf, largo_cabecera) and _decodifica(dbf, largo_cabecera, "utf-8"):
        return "UTF-8"
    return _CARTA_CP1252 if _decodifica(dbf, largo_cabecera, _CARTA_CP1252) else "latin-1"


def _decodifica(ruta: Path, desde: int, codificacion: str) -> bool:
    """Indica si el archivo, desde el byte ``desde``, decodifica entero en ``codificacion`` (en flujo)."""
    decodificador = codecs.getincrementaldecoder(codificacion)()
    try:
        with ruta.open("rb") as archivo:
            archivo.seek(desde)
            while bloque := archivo.read(1024 * 1024):
                decodificador.decode(bloque)
            decodificador.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _nombres_dbf_utf8(dbf: Path, largo_cabecera: int) -> bool:
    """Indica si los nombres de campo del DBF (descriptores de 32 bytes tras la cabecera) son UTF-8."""
    with dbf.open("rb") as archivo:
        archivo.seek(32)
        descriptores = archivo.read(max(largo_cabecera - 32, 0))
    try:
        for i in range(0, len(descriptores) - 31, 32):
            descriptores[i : i + 11].split(b"\x00")[0].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _recodificar(ruta: Path) -> None:
    """Reescribe un texto CP1252 (o Latin-1) como UTF-8 en su lugar (es la copia temporal)."""
    temporal = ruta.with_suffix(".utf8")
    for origen in (_CARTA_CP1252, "latin-1"):  # CP1252 deja cinco bytes sin definir; Latin-1, ninguno
        try:
            with (
                ruta.open(encoding=origen, newline="") as entrada,
                temporal.open("w", encoding="utf-8", newline="") as salida,
            ):
                shutil.copyfileobj(entrada, salida)
        except UnicodeDecodeError:
            continue
        break
    temporal.replace(ruta)


def _indice_geometria(esquema: pa.Schema) -> int:
    """Devuelve la posición de la columna WKB (extensión geoarrow.wkb) del lote."""
    for i, campo in enumerate(esquema):
        if (campo.metadata or {}).get(b"ARROW:extension:name") == b"geoarrow.wkb":
            return i
    raise ImportacionRechazada("La capa no tiene columna de geometría.", codigo="sin_geometria")


def tipo_logico(tipo: pa.DataType) -> str:
    """Devuelve el tipo lógico (texto, entero, decimal, fecha, fecha_hora, booleano) de un tipo Arrow."""
    if pa.types.is_boolean(tipo):
        return "booleano"
    if pa.types.is_integer(tipo):
        return "entero"
    if pa.types.is_floating(tipo) or pa.types.is_decimal(tipo):
        return "decimal"
    if pa.types.is_date(tipo):
        return "fecha"
    if pa.types.is_timestamp(tipo):
        return "fecha_hora"
    return "texto"


def _convertir(lote: pa.RecordBatch, indice_geom: int, atributos: list[int], campos: list[Campo]) -> Lote:
    """Convierte un lote Arrow en fids, WKB y atributos JSON."""
    columnas = [lote.column(i).to_pylist() for i in atributos]
    filas = [
        {
            campo.nombre: valor_json(columna[fila], campo.tipo)
            for campo, columna in zip(campos, columnas, strict=True)
        }
        for fila in range(lote.num_rows)
    ]
    return Lote(fids=lote.column(0).to_pylist(), wkbs=lote.column(indice_geom).to_pylist(), filas=filas)


def valor_json(valor, tipo: str):
    """Devuelve el valor como JSON: fechas ISO-8601, NaN como null, texto para lo demás."""
    if valor is None:
        return None
    if isinstance(valor, float):
        return valor if math.isfinite(valor) else None
    if isinstance(valor, bool | int | str):
        return valor
    if isinstance(valor, datetime.date | datetime.time):
        return valor.isoformat()
    if isinstance(valor, decimal.Decimal):
        return float(valor)
    if isinstance(valor, bytes):
        return valor.hex()
    return str(valor) if tipo == "texto" else None
