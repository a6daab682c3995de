"""Cargas hostiles para GDAL: ningún controlador «meta» corre, nadie pide nada a la red, nada se filtra.

Cada carga es el contenido de un controlador que lee otros archivos o URL (tubería GDALG, VRT, OGR_VRT,
GTI, WMS, WMTS, WCS, WFS, STAC…) bajo cada extensión aceptada, suelto y dentro de zip/kmz, más
GeoPackages que apuntan afuera. Pasan por el servicio, la orden y el formulario web; un servidor local
cuenta las peticiones (deben ser cero) y la respuesta no cambia si el archivo al que apuntan existe.
"""

import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import rasterio
import shapely
from django.contrib.gis.gdal import DataSource, GDALException, GDALRaster
from django.core.files.uploadedfile import SimpleUploadedFile

from capas.importacion.informe import ImportacionRechazada
from capas.importacion.raster import raster_importar
from capas.importacion.seguridad import anuncia_raster
from capas.importacion.vectorial import capa_importar
from capas.models import CapaRaster, CapaReferencia, ElementoReferencia
from tests.conftest import manage_en_proceso

PUNTO = {
    "type": "Feature", "properties": {"n": 1}, "geometry": {"type": "Point", "coordinates": [-73.09, -38.99]}
}  # fmt: skip


def gdalg(tipo: str):
    """Devuelve la carga de una tubería GDALG que lee ``objetivo`` (la del informe del problema)."""
    linea = f"gdal {tipo} pipeline ! read {{}} ! write --of stream x"
    return lambda o: json.dumps({"type": "gdal_streamed_alg", "command_line": linea.format(o)})


CARGAS = {
    "gdalg_vectorial": gdalg("vector"),
    "gdalg_raster": gdalg("raster"),
    "vrt": lambda o: (
        '<VRTDataset rasterXSize="1" rasterYSize="1"><VRTRasterBand dataType="Byte" band="1"><SimpleSource>'
        f"<SourceFilename>{o}</SourceFilename><SourceBand>1</SourceBand></SimpleSource></VRTRasterBand>"
        "</VRTDataset>"
    ),
    "ogr_vrt": lambda o: (
        f'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>{o}</SrcDataSource></OGRVRTLayer>'
        "</OGRVRTDataSource>"
    ),
    "gti": lambda o: f"<GDALTileIndexDataset><IndexDataset>{o}</IndexDataset></GDALTileIndexDataset>",
    "wms": lambda o: (
        f'<GDAL_WMS><Service name="TMS"><ServerUrl>{o}/${{z}}/${{x}}/${{y}}.png</ServerUrl></Service>'
        "<DataWindow><UpperLeftX>-180</UpperLeftX><UpperLeftY>90</UpperLeftY><LowerRightX>180</LowerRightX>"
        "<LowerRightY>-90</LowerRightY><TileLevel>0</TileLevel><TileCountX>1</TileCountX>"
        "<TileCountY>1</TileCountY></DataWindow><BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY>"
        "</GDAL_WMS>"
    ),
    "wmts": lambda o: f"<GDAL_WMTS><GetCapabilitiesUrl>{o}</GetCapabilitiesUrl></GDAL_WMTS>",
    "wcs": lambda o: f"<WCS_GDAL><ServiceURL>{o}</ServiceURL><CoverageName>x</CoverageName></WCS_GDAL>",
    "wfs": lambda o: f"<OGRWFSDataSource><URL>{o}</URL></OGRWFSDataSource>",
    "stacta": lambda o: json.dumps(
        {
            "type": "Feature",
            "stac_version": "1.0.0",
            "id": "x",
            "stac_extensions": ["https://stac-extensions.github.io/tiled-assets/v1.0.0/schema.json"],
            "asset_templates": {"b": {"href": f"{o}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.tif"}},
            "properties": {"tiles:tile_matrix_sets": {}, "tiles:tile_matrix_set_links": {}},
            "geometry": PUNTO["geometry"],
        }
    ),  # fmt: skip
    "stacit": lambda o: json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    **PUNTO,
                    "stac_version": "1.0.0",
                    "id": "x",
                    "assets": {"b": {"href": o}},
                    "properties": {
                        "proj:epsg": 4326,
                        "proj:shape": [1, 1],
                        "proj:transform": [-73.1, 0.1, 0, -38.9, 0, -0.1],
                    },
                }
            ],
        }
    ),  # fmt: skip
    "geojson_crs_enlace": lambda o: json.dumps(
        {"type": "FeatureCollection", "crs": {"type": "link", "properties": {"href": o}}, "features": [PUNTO]}
    ),
    "geojson_crs_nombre": lambda o: json.dumps(
        {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": o}}, "features": [PUNTO]}
    ),
    "kml_network_link": lambda o: (
        '<kml xmlns="http://www.opengis.net/kml/2.2"><NetworkLink><Link><href>'
        f"{o}</href></Link></NetworkLink></kml>"
    ),
}
# Cómo llega cada carga: suelta con cada extensión aceptada o dentro de un zip o kmz.
ENTREGAS = {
    **{e: {f"datos.{e}": None} for e in ("geojson", "json", "csv", "kml", "gpkg", "shp", "tif", "tiff")},
    "zip_geojson": {"datos.geojson": "zip"},
    "zip_csv": {"datos.csv": "zip"},
    "zip_tif": {"datos.tif": "zip"},
    "kmz": {"doc.kml": "kmz"},
}
# Por qué se rechaza cada una (nunca porque GDAL siguió el enlace): firma, formato o controlador ajeno.
# Cargas que son GeoJSON válido (un ítem STAC es un Feature): como .geojson se importan como datos.
COMO_DATOS = {"stacta", "stacit"}
# Qué le pasa a cada GeoPackage (igual para la URL, el archivo que existe y el que no).
ESPERADO_GPKG = {
    **{v: "rechazo" for v in ("ogr_geocode", "ogr_datasource_load_layers", "load_extension", "virtual_ogr")},
    "srs_definida_por_ruta": "rechazo",
    "metadatos_con_enlace": "importada",
}
CODIGOS = {
    "contenido", "lectura", "controlador", "crs_url", "crs", "kml_red", "xml_inseguro", "sin_geometria",
    # Un .csv con JSON es un CSV de texto (el controlador CSV no ejecuta nada): no trae coordenadas.
    "sin_crs",
}  # fmt: skip
_RE_INGLES = re.compile(r"\b(not|failed|error|unable|cannot|recognized|such|file)\b", re.IGNORECASE)
_RE_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def entregar(directorio: Path, entrega: str, contenido: bytes) -> Path:
    """Escribe la carga en ``directorio`` como la entrega indicada y devuelve el archivo a importar."""
    directorio.mkdir(parents=True, exist_ok=True)
    ((nombre, envase),) = ENTREGAS[entrega].items()
    if envase is None:
        ruta = directorio / nombre
        ruta.write_bytes(contenido)
        return ruta
    ruta = directorio / f"datos.{envase}"
    with zipfile.ZipFile(ruta, "w") as archivo:
        archivo.writestr(nombre, contenido)
    return ruta


def resultado(ruta: Path, **opciones) -> tuple:
    """Importa como la orden y la vista (ráster o vectorial) y devuelve qué pasó, sin dejar la capa.

    («rechazo», código, mensaje) o («importada», elementos, campos): lo que verá quien subió el archivo.
    """
    servicio = raster_importar if anuncia_raster(ruta.name, ruta) else capa_importar
    try:
        capa = servicio(ruta=ruta, nombre="hostil", titulo="Hostil", categoria="referencia", **opciones)
    except ImportacionRechazada as rechazo:
        comprobar_rechazo(rechazo)
        return ("rechazo", rechazo.codigo, rechazo.mensaje)
    importada = ("importada", capa.n_elementos, [c["nombre"] for c in capa.campos])
    CapaReferencia.objects.all().delete()
    return importada


def comprobar_rechazo(rechazo: ImportacionRechazada) -> None:
    """Verifica que el rechazo sea propio: código conocido y mensaje en español sin texto de GDAL."""
    assert rechazo.codigo in CODIGOS, (rechazo.codigo, rechazo.mensaje)
    assert not _RE_INGLES.search(rechazo.mensaje), rechazo.mensaje


def objetivo_local(tmp_path: Path, existe: bool) -> Path:
    """Devuelve la ruta de un GeoJSON válido (creado solo si ``existe``): lo que un meta leería."""
    ruta = tmp_path / "objetivo" / "secreto.geojson"
    if existe:
        ruta.parent.mkdir(parents=True, exist_ok=True)
        ruta.write_text(json.dumps({"type": "FeatureCollection", "features": [PUNTO]}))
    return ruta


def destinos(tmp_path: Path, escucha):
    """Entrega, en orden, la URL del servidor local, un archivo local que existe y el mismo ya borrado."""
    yield f"/vsicurl/{escucha.url}/x"
    objetivo = objetivo_local(tmp_path, True)
    yield objetivo
    objetivo.unlink()
    yield objetivo


@pytest.fixture
def limpio(db, settings, tmp_path):
    """Verifica que ninguna carga deje filas, temporales ni rásteres guardados."""
    settings.MEDIA_ROOT = tmp_path / "media"
    antes = set(Path(tempfile.gettempdir()).glob("territorio-importar-*"))
    yield
    assert not CapaReferencia.objects.exists() and not ElementoReferencia.objects.exists()
    assert not CapaRaster.objects.exists()
    assert not any((tmp_path / "media").rglob("*.tif"))
    assert set(Path(tempfile.gettempdir()).glob("territorio-importar-*")) == antes


def esperado(carga: str, entrega: str) -> str:
    """Devuelve «importada» si la carga es un GeoJSON válido que llega como GeoJSON; si no, «rechazo»."""
    return "importada" if carga in COMO_DATOS and entrega in ("geojson", "json", "zip_geojson") else "rechazo"


@pytest.mark.parametrize("entrega", ENTREGAS)
@pytest.mark.parametrize("carga", CARGAS)
def test_servicio_rechaza_la_carga_o_la_importa_como_datos_sin_pedir_nada_a_la_red(
    tmp_path, limpio, escucha, carga, entrega
):
    ruta = entregar(tmp_path / "subida", entrega, CARGAS[carga](f"/vsicurl/{escucha.url}/x").encode())
    obtenido = resultado(ruta)
    assert obtenido[0] == esperado(carga, entrega), obtenido
    if obtenido[0] == "importada":
        # Un ítem STAC es un Feature GeoJSON: su enlace queda como texto, nadie lo sigue.
        assert obtenido[1] == 1 and any(campo.startswith("asset") for campo in obtenido[2]), obtenido
    assert escucha.peticiones == []


@pytest.mark.parametrize("entrega", ["geojson", "csv", "zip_csv", "kmz"])
@pytest.mark.parametrize("carga", CARGAS)
def test_respuesta_identica_si_el_archivo_apuntado_existe_o_no(tmp_path, limpio, carga, entrega):
    respuestas = []
    for existe in (True, False):
        objetivo = objetivo_local(tmp_path, existe)
        ruta = entregar(tmp_path / f"subida-{existe}", entrega, CARGAS[carga](str(objetivo)).encode())
        respuestas.append(resultado(ruta))
        objetivo.unlink(missing_ok=True)
    assert respuestas[0] == respuestas[1]


@pytest.mark.parametrize("carga", CARGAS)
def test_formulario_web_responde_igual_sin_red_exista_o_no_lo_apuntado(
    client, planificador, tmp_path, limpio, escucha, trabajador, carga
):
    # La web encola un trabajo y responde 303 a su página; el trabajador real lo corre en su proceso
    # hijo acotado. La respuesta que ve el usuario es el estado del trabajo (la página lo muestra).
    client.force_login(planificador)
    paginas = []
    for i, destino in enumerate(destinos(tmp_path, escucha)):
        ruta = entregar(tmp_path / f"web-{i}", "geojson", CARGAS[carga](str(destino)).encode())
        archivo = SimpleUploadedFile(ruta.name, ruta.read_bytes())
        datos = {"archivo": archivo, "nombre": f"hostil-{i}", "titulo": "Hostil", "categoria": "referencia"}
        respuesta = client.post("/capas/importar/", datos)
        assert respuesta.status_code == 303, respuesta.content[:500]
        paginas.append(respuesta["Location"])
    trabajador(concurrencia=2)
    respuestas = []
    for i, pagina in enumerate(paginas):
        assert client.get(pagina).status_code == 200
        estado = client.get(f"{pagina}estado/").json()
        respuestas.append((estado["estado"], estado["error"].replace(f"hostil-{i}", "hostil")))
    assert respuestas[0][0] == ("terminado" if esperado(carga, "geojson") == "importada" else "fallido")
    # El archivo que existe y el que no dan la misma respuesta.
    assert respuestas[1] == respuestas[2]
    assert escucha.peticiones == []
    CapaReferencia.objects.all().delete()


def test_la_orden_rechaza_igual_sin_red_exista_o_no_lo_apuntado(tmp_path, escucha, transactional_db):
    salidas = []
    for destino in destinos(tmp_path, escucha):
        # La carga del informe del problema: una tubería GDALG en un .csv.
        ruta = entregar(tmp_path / "orden", "csv", CARGAS["gdalg_vectorial"](str(destino)).encode())
        resultado = manage_en_proceso("capas_importar", ruta, "--nombre", "hostil", "-v", "0")
        # La respuesta de la orden es su código de salida, su salida y su línea de error (el registro
        # del servidor va aparte, con rutas temporales que cambian en cada corrida).
        error = resultado.stderr.strip().splitlines()[-1:]
        salidas.append((resultado.returncode, resultado.stdout, error))
    assert salidas[0][0] == 1 and "No se importó nada" in salidas[0][2][0]
    assert salidas[0] == salidas[1] == salidas[2]
    assert escucha.peticiones == []
    assert CapaReferencia.objects.count() == CapaRaster.objects.count() == 0


@pytest.mark.parametrize("carga", CARGAS)
def test_ningun_gdal_sigue_la_carga_aunque_se_salte_la_verificacion_de_contenido(tmp_path, escucha, carga):
    contenido = CARGAS[carga](f"/vsicurl/{escucha.url}/x")
    for extension in ("geojson", "csv", "xml", "vrt", "tif"):
        ruta = tmp_path / f"carga.{extension}"
        ruta.write_text(contenido)
        # Lo único que puede abrirla es un controlador de la lista blanca, como texto o GeoJSON.
        try:
            assert pyogrio.read_info(ruta)["driver"] in ("CSV", "GeoJSON")
        except pyogrio.errors.DataSourceError:
            pass
        with pytest.raises(rasterio.errors.RasterioIOError):
            rasterio.open(ruta).read()
        with pytest.raises(GDALException):
            DataSource(str(ruta))
        with pytest.raises(GDALException):
            GDALRaster(str(ruta))
    assert escucha.peticiones == []


def test_sin_blindaje_el_corpus_si_pide_a_la_red(tmp_path, escucha):
    """Control: en un Python sin Django (GDAL sin blindar) las mismas cargas sí hacen peticiones."""
    rutas = {}
    for carga, extension in (("gdalg_vectorial", "geojson"), ("vrt", "tif"), ("ogr_vrt", "csv")):
        rutas[carga] = tmp_path / f"{carga}.{extension}"
        rutas[carga].write_text(CARGAS[carga](f"/vsicurl/{escucha.url}/{carga}"))
    codigo = (
        "import sys, pyogrio, rasterio\n"
        "leer = lambda r: rasterio.open(r).read()\n"
        "for lector, ruta in ((pyogrio.read_info, sys.argv[1]), (leer, sys.argv[2]),"
        " (pyogrio.read_info, sys.argv[3])):\n"
        "    try: lector(ruta)\n"
        "    except Exception: pass\n"
    )
    subprocess.run(
        [sys.executable, "-c", codigo, *map(str, rutas.values())],
        cwd=tmp_path,
        env={"GDAL_HTTP_TIMEOUT": "3", "GDAL_HTTP_MAX_RETRY": "0", "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=True,
    )
    pedidas = b"".join(escucha.peticiones)
    assert all(f"/{carga}".encode() in pedidas for carga in rutas), escucha.peticiones


def geopackage(directorio: Path, sql: list[str]) -> Path:
    """Escribe un GeoPackage con la capa «base» (un punto en Teodoro Schmidt) y le aplica ``sql``."""
    directorio.mkdir(parents=True, exist_ok=True)
    ruta = directorio / "datos.gpkg"
    wkb = shapely.to_wkb(shapely.Point(-73.09, -38.99))
    pyogrio.raw.write(
        ruta, np.array([wkb], dtype=object), [np.array([1])], ["n"], driver="GPKG",
        geometry_type="Point", crs="EPSG:4326", layer="base",
    )  # fmt: skip
    conexion = sqlite3.connect(ruta)
    with conexion:
        for sentencia in sql:
            conexion.execute(sentencia)
    conexion.close()
    return ruta


def vista(expresion: str) -> list[str]:
    """Devuelve el SQL que agrega la capa «vista»: la base más una columna calculada con ``expresion``."""
    return [
        f"CREATE VIEW vista AS SELECT fid, geom, n, {expresion} AS x FROM base",
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
        "VALUES ('vista', 'features', 'vista', 4326)",
        "INSERT INTO gpkg_geometry_columns VALUES ('vista', 'geom', 'POINT', 4326, 0, 0)",
    ]


GEOPACKAGES = {
    "ogr_geocode": lambda o: vista(f"ogr_geocode('{o}')"),
    "ogr_datasource_load_layers": lambda o: vista(f"ogr_datasource_load_layers('{o}')"),
    "load_extension": lambda o: vista(f"load_extension('{o}')"),
    "virtual_ogr": lambda o: [
        "PRAGMA writable_schema = ON",
        "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', 'remota', "
        f"'remota', 0, 'CREATE VIRTUAL TABLE remota USING VirtualOGR(''{o}'')')",
        "PRAGMA writable_schema = OFF",
        *vista("(SELECT count(*) FROM remota)"),
    ],
    # Inofensivo: los metadatos con enlaces son texto; la capa (una vista simple) se importa como datos.
    "metadatos_con_enlace": lambda o: [
        "CREATE TABLE gpkg_metadata (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, md_scope TEXT NOT NULL, "
        "md_standard_uri TEXT NOT NULL, mime_type TEXT NOT NULL, metadata TEXT NOT NULL)",
        "CREATE TABLE gpkg_metadata_reference (reference_scope TEXT NOT NULL, table_name TEXT, "
        "column_name TEXT, row_id_value INTEGER, timestamp DATETIME NOT NULL DEFAULT '2024-01-01T00:00:00Z', "
        "md_file_id INTEGER NOT NULL, md_parent_id INTEGER)",
        "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES ('dataset', "
        f"'{o}', 'text/xml', '<a xmlns:x=\"http://www.w3.org/1999/xlink\" x:href=\"{o}\"/>')",
        "INSERT INTO gpkg_metadata_reference (reference_scope, md_file_id) VALUES ('geopackage', 1)",
        *vista("n"),
    ],
    "srs_definida_por_ruta": lambda o: [
        f"INSERT INTO gpkg_spatial_ref_sys VALUES ('x', 990001, 'x', 990001, '{o}', '')",
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
        "VALUES ('vista', 'features', 'vista', 990001)",
        "CREATE VIEW vista AS SELECT fid, geom, n FROM base",
        "INSERT INTO gpkg_geometry_columns VALUES ('vista', 'geom', 'POINT', 990001, 0, 0)",
    ],
}


@pytest.mark.parametrize("variante", GEOPACKAGES)
@pytest.mark.parametrize("envase", ["gpkg", "zip"])
def test_geopackage_que_apunta_afuera_no_pide_nada_ni_filtra_si_existe(
    tmp_path, limpio, escucha, variante, envase
):
    resultados = []
    for destino in destinos(tmp_path, escucha):
        ruta = geopackage(tmp_path / "gpkg", GEOPACKAGES[variante](destino))
        if envase == "zip":
            with zipfile.ZipFile(tmp_path / "gpkg" / "datos.zip", "w") as archivo:
                archivo.write(ruta, "datos.gpkg")
            ruta.unlink()
            ruta = tmp_path / "gpkg" / "datos.zip"
        resultados.append(resultado(ruta, capa_gpkg="vista"))
        ruta.unlink()
    assert resultados[1] == resultados[2]
    assert resultados[0][0] == resultados[1][0] == ESPERADO_GPKG[variante], resultados
    assert escucha.peticiones == []
