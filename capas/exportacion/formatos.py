"""Formatos de intercambio por capa: GeoJSON (RFC 7946), Shapefile con .cpg UTF-8, KML y CSV (WKT).

Cada función escribe UNA capa en una carpeta con GDAL (flujo Arrow, por lotes) y devuelve los
archivos creados y cuántos elementos escribió; el servicio los empaqueta.

GeoJSON es para máquinas (como el GeoJSON del servicio y OGC API): lleva los valores guardados.
Shapefile, KML y CSV los abre una persona (Excel, Google Earth, un SIG sin estilos): llevan las
etiquetas («Servicio público», el nombre de la fuente de financiamiento, «Sí»/«No»); el CSV además
titula sus columnas con el título del atributo («Fuente de financiamiento») y el KML lo declara como
``<displayName>`` de cada campo.
"""

import csv
import html
import os
import re
import shutil
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

import pyarrow as pa
import pyarrow.compute as pc

from capas.exportacion import lectura
from capas.registro import Capa

LARGO_DBF = 10
# KML usa este atributo como <name> del elemento (lo que muestran Google Earth y QGIS).
CAMPO_NOMBRE_KML = "nombre"
# Campo del <Schema> tal como lo escribe el controlador KML de GDAL (uno por línea, sin displayName).
RE_CAMPO_KML = re.compile(r'<SimpleField name="([^"]*)" type="([^"]*)"></SimpleField>')


def nombres_dbf(nombres: list[str]) -> list[str]:
    """Devuelve nombres de campo DBF (≤ 10 caracteres ASCII, únicos) para los nombres dados.

    Regla estable (solo depende de la lista y su orden): se quitan las tildes (NFKD), todo lo que no
    sea letra, dígito o ``_`` pasa a ``_`` y se corta a 10 caracteres. Si el recorte repite un nombre
    anterior (sin distinguir mayúsculas, como DBF), se reemplaza el final por ``_1``, ``_2``…:
    ``estado_saneamiento`` → ``estado_san``; un segundo ``estado_sanidad`` → ``estado_s_1``.
    """
    usados: set[str] = set()
    salida = []
    for nombre in nombres:
        ascii_ = unicodedata.normalize("NFKD", nombre).encode("ascii", "ignore").decode()
        base = re.sub(r"[^A-Za-z0-9_]", "_", ascii_)[:LARGO_DBF] or "campo"
        corto, n = base, 1
        while corto.lower() in usados:
            sufijo = f"_{n}"
            corto, n = base[: LARGO_DBF - len(sufijo)] + sufijo, n + 1
        usados.add(corto.lower())
        salida.append(corto)
    return salida


def escribir_geojson(capa: Capa, carpeta: Path) -> tuple[list[Path], int]:
    """Escribe ``<capa>.geojson`` (RFC 7946: WGS 84, regla de la mano derecha) con id = fid."""
    ruta = Path(carpeta) / f"{capa.nombre}.geojson"
    leida = lectura.Lectura(capa)
    lectura.escribir(
        leida.lector(), ruta, "GeoJSON", capa, layer_options={"RFC7946": "YES", "ID_FIELD": leida.fid}
    )
    return [ruta], leida.elementos


def escribir_shp(capa: Capa, carpeta: Path) -> tuple[list[Path], int]:
    """Escribe el Shapefile de la capa (.shp, .shx, .dbf, .prj, .cpg UTF-8) y su tabla de campos.

    ``<capa>_campos.csv`` dice a qué atributo corresponde cada nombre recortado del DBF.
    """
    carpeta = Path(carpeta)
    leida = lectura.Lectura(capa, legible=True)
    originales = [leida.fid, *(c.nombre for c in leida.columnas)]
    cortos = nombres_dbf(originales)
    renombres = dict(zip(originales, cortos, strict=True))
    esquema = pa.schema([campo.with_name(renombres.get(campo.name, campo.name)) for campo in leida.esquema])
    ruta = carpeta / f"{capa.nombre}.shp"
    lectura.escribir(
        leida.lector(lambda lote: lote.rename_columns(esquema.names), esquema),
        ruta,
        "ESRI Shapefile",
        capa,
        encoding="UTF-8",
    )
    campos = carpeta / f"{capa.nombre}_campos.csv"
    with campos.open("w", encoding="utf-8", newline="") as archivo:
        escritor = csv.writer(archivo)
        escritor.writerow(["campo_dbf", "campo", "titulo", "tipo"])
        escritor.writerow([cortos[0], leida.fid, "identificador", "entero"])
        for corto, col in zip(cortos[1:], leida.columnas, strict=True):
            escritor.writerow([corto, col.nombre, col.titulo, col.tipo])
    extensiones = (".shp", ".shx", ".dbf", ".prj", ".cpg")
    return [ruta.with_suffix(e) for e in extensiones] + [campos], leida.elementos


def escribir_kml(capa: Capa, carpeta: Path) -> tuple[list[Path], int]:
    """Escribe ``<capa>.kml`` con los atributos como datos extendidos y ``nombre`` como <name>."""
    ruta = Path(carpeta) / f"{capa.nombre}.kml"
    leida = lectura.Lectura(capa, legible=True)
    con_nombre = any(c.nombre == CAMPO_NOMBRE_KML for c in leida.columnas)
    lectura.escribir(
        _con_fechas_en_texto(leida),
        ruta,
        "KML",
        capa,
        dataset_options={"NameField": CAMPO_NOMBRE_KML} if con_nombre else None,
        # El nombre de la capa es también un id XML del KML: sin guiones.
        layer=capa.nombre.replace("-", "_"),
    )
    _titulos_kml(ruta, leida.columnas)
    return [ruta], leida.elementos


def _titulos_kml(ruta: Path, columnas: list[lectura.Columna]) -> None:
    """Agrega a cada campo del <Schema> su <displayName> (el título del atributo, que muestra Google
    Earth en la ficha); el resto del archivo se copia tal cual, sin cargarlo en memoria."""
    titulos = {c.nombre: c.encabezado for c in columnas if c.encabezado != c.nombre}

    def con_titulo(campo: re.Match) -> str:
        titulo = titulos.get(html.unescape(campo[1]))
        if titulo is None:
            return campo[0]
        nombre = f'<SimpleField name="{campo[1]}" type="{campo[2]}">'
        return f"{nombre}<displayName>{escape(titulo)}</displayName></SimpleField>"

    temporal = ruta.with_name(ruta.name + ".titulos")
    with ruta.open(encoding="utf-8") as entrada, temporal.open("w", encoding="utf-8") as salida:
        for linea in entrada:
            salida.write(RE_CAMPO_KML.sub(con_titulo, linea))
            if "</Schema>" in linea:
                break
        shutil.copyfileobj(entrada, salida)
    os.replace(temporal, ruta)


def escribir_csv(capa: Capa, carpeta: Path) -> tuple[list[Path], int]:
    """Escribe ``<capa>.csv`` en UTF-8 con BOM: geometría WKT en la primera columna, luego el fid y
    los atributos con etiquetas, titulados con el título de cada atributo."""
    ruta = Path(carpeta) / f"{capa.nombre}.csv"
    leida = lectura.Lectura(capa, legible=True)
    lector = _con_fechas_en_texto(leida)
    nombres = [leida.fid, lectura.COLUMNA_GEOMETRIA, *encabezados(leida.columnas, ocupados={leida.fid})]
    esquema = pa.schema([campo.with_name(n) for campo, n in zip(lector.schema, nombres, strict=True)])
    lectura.escribir(
        pa.RecordBatchReader.from_batches(esquema, (lote.rename_columns(nombres) for lote in lector)),
        ruta,
        "CSV",
        capa,
        # Con BOM, Excel (configuración chilena) abre el UTF-8 con las tildes bien.
        layer_options={"GEOMETRY": "AS_WKT", "WRITE_BOM": "YES"},
    )
    return [ruta], leida.elementos


def encabezados(columnas: list[lectura.Columna], *, ocupados: set[str]) -> list[str]:
    """Devuelve el título de cada columna como encabezado, único (un título repetido lleva su nombre)."""
    usados = {o.lower() for o in ocupados}
    salida = []
    for col in columnas:
        encabezado = col.encabezado
        if encabezado.lower() in usados:
            encabezado = f"{col.encabezado} ({col.nombre})"
        usados.add(encabezado.lower())
        salida.append(encabezado)
    return salida


def _con_fechas_en_texto(leida: lectura.Lectura) -> pa.RecordBatchReader:
    """Devuelve el lector con fechas (AAAA-MM-DD) y horas UTC (AAAA-MM-DDTHH:MM:SSZ) como texto.

    KML y CSV no tienen tipo fecha y GDAL escribiría «2024/01/02»: se fija ISO-8601.
    """
    fechas = (lectura.TIPOS_ARROW["fecha"], lectura.TIPOS_ARROW["fecha_hora"])
    indices = [i for i, campo in enumerate(leida.esquema) if campo.type in fechas]
    if not indices:
        return leida.lector()
    esquema = leida.esquema
    for i in indices:
        esquema = esquema.set(i, esquema.field(i).with_type(pa.string()))

    def transformar(lote: pa.RecordBatch) -> pa.RecordBatch:
        columnas = list(lote.columns)
        for i in indices:
            if pa.types.is_timestamp(columnas[i].type):
                # En segundos: con microsegundos, %S de Arrow agregaría «.000000».
                segundos = pc.cast(columnas[i], pa.timestamp("s", tz="UTC"), safe=False)
                columnas[i] = pc.strftime(segundos, format="%Y-%m-%dT%H:%M:%SZ")
            else:
                columnas[i] = pc.cast(columnas[i], pa.string())
        return pa.record_batch(columnas, schema=esquema)

    return leida.lector(transformar, esquema)
