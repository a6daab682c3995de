"""GeoPackage 1.2 con una tabla por capa y su estilo QML por defecto en ``layer_styles``.

Las tablas las escribe GDAL (pyogrio, flujo Arrow) en bloque, lote a lote; ``layer_styles`` se
crea después con el mismo esquema que deja QGIS al guardar un estilo en un GeoPackage
(``QgsOgrProviderMetadata::saveStyle``: capa sin geometría con FID ``id``, creada por GDAL), de modo
que QGIS la reconoce y aplica el estilo al abrir la capa. El QML lleva además los alias de los
campos (título del atributo) y sus mapas de valores (``campos_qgis``): QGIS muestra «Servicio
público» y el nombre de la fuente de financiamiento, no ``servicio_publico`` ni ``2``.
"""

import os
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from defusedxml.ElementTree import fromstring
from pyogrio import get_gdal_config_option, set_gdal_config_options

from capas.estilos import DOCTYPE_QGIS
from capas.exportacion import campos_qgis, lectura
from capas.registro import Capa

DRIVER = "GPKG"
# QGIS 3.22 (GDAL 3.6 de Debian 12) lee 1.2 sin avisos; GDAL reciente crearía 1.4 si no se pide.
VERSION_GPKG = "1.2"
# Lo que trae el QML por defecto: símbolos, alias (Fields) y widgets de los campos (Forms).
CATEGORIAS_QML = "Symbology|Fields|Forms"
OPCION_SINCRONIZAR = "OGR_SQLITE_SYNCHRONOUS"

# Esquema que crea GDAL para la tabla que pide QGIS (ver el docstring del módulo): así lo vuelven
# a abrir QGIS y GDAL como si lo hubiera escrito QGIS.
ESQUEMA_LAYER_STYLES = """
CREATE TABLE "layer_styles" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  "f_table_catalog" TEXT(256),
  "f_table_schema" TEXT(256),
  "f_table_name" TEXT(256),
  "f_geometry_column" TEXT(256),
  "styleName" TEXT(30),
  "styleQML" TEXT,
  "styleSLD" TEXT,
  "useAsDefault" BOOLEAN,
  "description" TEXT,
  "owner" TEXT(30),
  "ui" TEXT(30),
  "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
)
"""
# Conteo de filas que GDAL mantiene en gpkg_ogr_contents (extensión propia de GDAL).
DISPARADORES_CONTEO = (
    """CREATE TRIGGER "trigger_insert_feature_count_layer_styles" AFTER INSERT ON "layer_styles"
    BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count + 1
    WHERE lower(table_name) = lower('layer_styles'); END""",
    """CREATE TRIGGER "trigger_delete_feature_count_layer_styles" AFTER DELETE ON "layer_styles"
    BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count - 1
    WHERE lower(table_name) = lower('layer_styles'); END""",
)


def escribir_gpkg(
    capas: Iterable[Capa],
    destino: Path,
    *,
    al_terminar: Callable[[Capa, int], None] | None = None,
    tamano_lote: int = lectura.TAMANO_LOTE,
) -> dict[str, int]:
    """Escribe el GeoPackage ``destino`` (nuevo) y devuelve cuántos elementos quedaron en cada capa."""
    capas = list(capas)
    if Path(destino).exists():
        raise FileExistsError(f"Ya existe {destino}: el GeoPackage se escribe en un archivo nuevo.")
    conteos = {}
    identificadores = set()
    with _sin_sincronizar():
        for capa in capas:
            # gpkg_contents.identifier es UNIQUE: un título repetido lleva el nombre de la capa.
            identificador = capa.titulo
            if identificador in identificadores:
                identificador = f"{capa.titulo} ({capa.nombre})"
            identificadores.add(identificador)
            conteos[capa.nombre] = _escribir_capa(
                capa, destino, identificador=identificador, primera=not conteos, tamano_lote=tamano_lote
            )
            if al_terminar:
                al_terminar(capa, conteos[capa.nombre])
    escribir_estilos(destino, capas)
    # Un solo fsync al final reemplaza los de cada transacción de GDAL (ver _sin_sincronizar).
    with open(destino, "rb") as archivo:
        os.fsync(archivo.fileno())
    return conteos


@contextmanager
def _sin_sincronizar():
    """Escribe sin fsync de SQLite en cada transacción de GDAL (cuadruplica la velocidad).

    Es seguro porque el GeoPackage se escribe en un archivo nuevo que nadie lee hasta terminar
    (el servicio lo escribe en una carpeta temporal y lo mueve al final) y se sincroniza una vez.
    """
    anterior = get_gdal_config_option(OPCION_SINCRONIZAR)
    set_gdal_config_options({OPCION_SINCRONIZAR: "OFF"})
    try:
        yield
    finally:
        set_gdal_config_options({OPCION_SINCRONIZAR: anterior})


def _escribir_capa(capa: Capa, destino: Path, *, identificador: str, primera: bool, tamano_lote: int) -> int:
    """Escribe la tabla de una capa con GDAL, lote a lote; devuelve cuántos elementos escribió."""
    lectura_capa = lectura.Lectura(capa, tamano_lote=tamano_lote)
    lectura.escribir(
        lectura_capa.lector(),
        destino,
        DRIVER,
        capa,
        # GDAL toma como FID la columna con el nombre de la opción FID: el fid del archivo es la pk.
        layer_options={
            "FID": lectura_capa.fid,
            "IDENTIFIER": identificador,
            "DESCRIPTION": capa.descripcion,
            "SPATIAL_INDEX": "YES",
        },
        dataset_options={"VERSION": VERSION_GPKG} if primera else None,
    )
    return lectura_capa.elementos


def ahora_iso() -> str:
    """Devuelve la hora UTC actual en ISO-8601 con milisegundos, como la escriben GDAL y QGIS."""
    ahora = datetime.now(UTC)
    return ahora.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ahora.microsecond // 1000:03d}Z"


def qml(capa: Capa) -> str:
    """Devuelve el QML por defecto de la capa: su estilo más los alias y mapas de valores de sus campos."""
    raiz = fromstring(capa.estilo.qml(capa.tipo_geometria))
    raiz.set("styleCategories", CATEGORIAS_QML)
    raiz.extend(campos_qgis.configuracion_campos(capa, campos_qgis.mapas_de_valores(capa)))
    return DOCTYPE_QGIS + ET.tostring(raiz, encoding="unicode") + "\n"


def escribir_estilos(destino: Path, capas: Iterable[Capa]) -> None:
    """Crea ``layer_styles`` en el GeoPackage con el QML de cada capa como estilo por defecto."""
    momento = ahora_iso()
    filas = [
        (
            "",  # QGIS busca el estilo con f_table_schema = '' (no NULL); catálogo igual.
            "",
            capa.nombre,
            lectura.COLUMNA_GEOMETRIA,
            capa.nombre,
            qml(capa),
            "",
            1,
            capa.descripcion or capa.titulo,
            "",
            None,
            momento,
        )
        for capa in capas
    ]
    conexion = sqlite3.connect(destino)
    try:
        conexion.execute("PRAGMA synchronous = OFF")  # escribir_gpkg sincroniza el archivo al final
        with conexion:
            conexion.execute(ESQUEMA_LAYER_STYLES)
            conexion.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, "
                "srs_id) VALUES ('layer_styles', 'attributes', 'layer_styles', '', ?, 0)",
                (momento,),
            )
            if _existe_tabla(conexion, "gpkg_ogr_contents"):
                conexion.execute(
                    "INSERT INTO gpkg_ogr_contents (table_name, feature_count) VALUES ('layer_styles', 0)"
                )
                for disparador in DISPARADORES_CONTEO:
                    conexion.execute(disparador)
            conexion.executemany(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, "
                "update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                filas,
            )
    finally:
        conexion.close()


def _existe_tabla(conexion: sqlite3.Connection, nombre: str) -> bool:
    """Indica si la tabla existe en la base SQLite."""
    fila = conexion.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (nombre,))
    return fila.fetchone() is not None
