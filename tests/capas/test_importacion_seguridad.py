"""Archivos hostiles: cada uno se rechaza con un mensaje claro en español y sin dejar nada escrito."""

import json
import os
import stat
import tempfile
import uuid
import zipfile
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import rasterio
import rasterio.transform

from capas.importacion.informe import ImportacionRechazada
from capas.importacion.raster import raster_importar
from capas.importacion.seguridad import Limites, extraer_zip, validar_ruta
from capas.importacion.vectorial import capa_importar
from capas.models import CapaRaster, CapaReferencia, ElementoReferencia
from tests.conftest import COMUNAS_R09, RAIZ

VRT = """<OGRVRTDataSource>
  <OGRVRTLayer name="remota">
    <SrcDataSource>/vsicurl/http://127.0.0.1:9/secreto.geojson</SrcDataSource>
  </OGRVRTLayer>
</OGRVRTDataSource>
"""
PUNTO = {
    "type": "Feature",
    "properties": {"n": 1},
    "geometry": {"type": "Point", "coordinates": [-73.09, -38.99]},
}
KML_PUNTO = "<Placemark><name>x</name><Point><coordinates>-73.09,-38.99</coordinates></Point></Placemark>"
URL_PRJ = 'GEOGCS["x",AUTHORITY["http://127.0.0.1:9/srs"]]'


@pytest.fixture
def sin_rastros(db, settings, tmp_path):
    """Verifica que ningún rechazo deje filas, temporales ni archivos en MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    antes = set(Path(tempfile.gettempdir()).glob("territorio-importar-*"))
    yield
    assert CapaReferencia.objects.count() == 0
    assert ElementoReferencia.objects.count() == 0
    assert CapaRaster.objects.count() == 0
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.tif"))
    assert set(Path(tempfile.gettempdir()).glob("territorio-importar-*")) == antes


def rechazo(ruta, **opciones) -> ImportacionRechazada:
    """Importa esperando un rechazo y lo devuelve."""
    with pytest.raises(ImportacionRechazada) as error:
        capa_importar(ruta=ruta, nombre="hostil", titulo="Hostil", categoria="referencia", **opciones)
    return error.value


def shapefile_de_comunas(directorio: Path, base: str) -> Path:
    """Escribe un shapefile de dos comunas INE en ``directorio`` y devuelve su .shp."""
    directorio.mkdir(parents=True, exist_ok=True)
    meta, _f, geometrias, columnas = pyogrio.raw.read(COMUNAS_R09, max_features=2)
    shp = directorio / f"{base}.shp"
    pyogrio.raw.write(
        shp,
        geometrias,
        columnas,
        meta["fields"],
        crs="EPSG:4674",
        driver="ESRI Shapefile",
        geometry_type="MultiPolygon",
        encoding="UTF-8",
    )
    return shp


def hacer_zip(ruta: Path, entradas: dict[str, bytes], metodo=zipfile.ZIP_DEFLATED) -> Path:
    """Escribe un zip con las entradas dadas (nombres tal cual, incluso peligrosos)."""
    with zipfile.ZipFile(ruta, "w", metodo) as archivo:
        for nombre, contenido in entradas.items():
            archivo.writestr(zipfile.ZipInfo(nombre), contenido, compress_type=metodo)
    return ruta


def geojson(crs: dict | None = None) -> bytes:
    """Devuelve un GeoJSON de un punto en Teodoro Schmidt, con el miembro crs dado."""
    datos = {"type": "FeatureCollection", "features": [PUNTO]}
    if crs is not None:
        datos["crs"] = crs
    return json.dumps(datos).encode()


def _existe_bajo(raiz: Path, nombre: str) -> list[Path]:
    """Devuelve los archivos llamados ``nombre`` bajo ``raiz`` (sin seguir enlaces ni fallar por permisos)."""
    return [Path(d) / nombre for d, _s, archivos in os.walk(raiz, onerror=None) if nombre in archivos]


@pytest.mark.parametrize("plantilla", ["../../{}", "a/../../{}", "../{}", "/tmp/{}"])
def test_zip_slip_se_rechaza_sin_escribir_fuera(tmp_path, sin_rastros, plantilla):
    unico = f"escapado-{uuid.uuid4().hex}.geojson"
    ruta = hacer_zip(tmp_path / "slip.zip", {"bueno.geojson": geojson(), plantilla.format(unico): geojson()})
    error = rechazo(ruta)
    assert error.codigo == "zip_slip"
    assert "ruta peligrosa" in error.mensaje
    # La extracción ocurre en /tmp/territorio-importar-*/zip: un escape caería en /tmp o más arriba.
    assert _existe_bajo(Path(tempfile.gettempdir()), unico) == []
    assert _existe_bajo(RAIZ, unico) == []
    assert not (Path("/") / unico).exists()


def test_zip_con_enlace_simbolico_se_rechaza(tmp_path, sin_rastros):
    ruta = tmp_path / "enlace.zip"
    with zipfile.ZipFile(ruta, "w") as archivo:
        info = zipfile.ZipInfo("datos.geojson")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archivo.writestr(info, "/etc/passwd")
    assert "enlace simbólico" in rechazo(ruta).mensaje


def test_bomba_zip_por_razon_de_compresion(tmp_path, sin_rastros):
    ruta = hacer_zip(tmp_path / "bomba.zip", {"datos.geojson": b" " * (20 * 1024 * 1024)})
    assert ruta.stat().st_size < 100_000
    error = rechazo(ruta)
    assert error.codigo == "zip_bomba" and "bomba zip" in error.mensaje


def test_zip_con_demasiadas_entradas(tmp_path, sin_rastros):
    ruta = hacer_zip(tmp_path / "muchas.zip", {f"x{i}.txt": b"x" for i in range(201)})
    error = rechazo(ruta)
    assert "201 entradas; el máximo es 200" in error.mensaje


def test_zip_que_excede_el_total_descomprimido(tmp_path):
    ruta = hacer_zip(tmp_path / "grande.zip", {"a.geojson": b"{}" * 600, "b.csv": b"x" * 600})
    with pytest.raises(ImportacionRechazada, match="descomprimido pesaría 0 MiB; el máximo es 0 MiB"):
        extraer_zip(ruta, tmp_path / "destino", limites=Limites(descomprimido=1500))
    assert not (tmp_path / "destino").exists()


def test_archivo_demasiado_grande(tmp_path):
    ruta = tmp_path / "grande.geojson"
    ruta.write_bytes(geojson())
    with pytest.raises(ImportacionRechazada, match="El archivo pesa .* MiB; el máximo es"):
        validar_ruta(ruta, limites=Limites(archivo=10))


def test_vrt_se_rechaza_por_extension_y_disfrazado(tmp_path, sin_rastros):
    vrt = tmp_path / "capa.vrt"
    vrt.write_text(VRT)
    assert rechazo(vrt).codigo == "formato"
    for disfraz in ("capa.geojson", "capa.csv", "capa.kml", "capa.gpkg"):
        ruta = tmp_path / disfraz
        ruta.write_text(VRT)
        error = rechazo(ruta)
        assert error.codigo in ("contenido", "xml_inseguro"), disfraz
        assert "no es un" in error.mensaje
    dentro = hacer_zip(tmp_path / "vrt.zip", {"capa.vrt": VRT.encode(), "capa.geojson": VRT.encode()})
    assert rechazo(dentro).codigo == "contenido"


@pytest.mark.parametrize(
    "ruta",
    [
        "/vsicurl/http://127.0.0.1:9/capa.geojson",
        "/vsizip//tmp/capa.zip/capa.shp",
        "https://example.org/capa.geojson",
        "GPKG:/tmp/capa.gpkg:capa",
        "CSV:/tmp/capa.csv",
    ],
)
def test_rutas_de_red_o_virtuales_se_rechazan(sin_rastros, ruta):
    error = rechazo(ruta)
    assert error.codigo == "ruta_no_local"
    assert "no es un archivo local" in error.mensaje


@pytest.mark.parametrize(
    "crs",
    [
        {"type": "name", "properties": {"name": "http://www.opengis.net/def/crs/EPSG/0/4326"}},
        {"type": "link", "properties": {"href": "http://127.0.0.1:9/crs.wkt", "type": "ogcwkt"}},
    ],
)
def test_crs_por_url_se_rechaza(tmp_path, sin_rastros, crs):
    ruta = tmp_path / "url.geojson"
    ruta.write_bytes(geojson(crs))
    error = rechazo(ruta)
    assert error.codigo == "crs_url" and "no se aceptan CRS por URL" in error.mensaje


def test_prj_con_url_se_rechaza(tmp_path, sin_rastros):
    shp = shapefile_de_comunas(tmp_path, "c")
    shp.with_suffix(".prj").write_text(URL_PRJ)
    assert rechazo(shp).codigo == "crs_url"


def test_kml_con_xxe_se_rechaza_sin_leer(tmp_path, sin_rastros):
    ruta = tmp_path / "xxe.kml"
    ruta.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{KML_PUNTO}'
        "<Placemark><name>&xxe;</name></Placemark></Document></kml>"
    )
    error = rechazo(ruta)
    assert error.codigo == "xml_inseguro" and "XXE" in error.mensaje


def test_kmz_con_bomba_de_entidades_y_network_link(tmp_path, sin_rastros):
    risas = (
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "jajaja"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>&b;</name></Document></kml>'
    )
    kmz = hacer_zip(tmp_path / "risas.kmz", {"doc.kml": risas.encode()})
    assert rechazo(kmz).codigo == "xml_inseguro"
    red = tmp_path / "red.kml"
    red.write_text(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><NetworkLink><Link>'
        "<href>http://127.0.0.1:9/capa.kml</href></Link></NetworkLink></Document></kml>"
    )
    assert rechazo(red).codigo == "kml_red"


def test_archivos_danados_o_vacios(tmp_path, sin_rastros):
    falso_zip = tmp_path / "falso.zip"
    falso_zip.write_bytes(b"PK\x03\x04 esto no es un zip")
    assert rechazo(falso_zip).codigo == "zip"
    sin_datos = hacer_zip(tmp_path / "sin.zip", {"leame.txt": b"hola"})
    assert "no contiene un conjunto de datos" in rechazo(sin_datos).mensaje
    gpkg = tmp_path / "falso.gpkg"
    gpkg.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    assert "no es un GeoPackage válido" in rechazo(gpkg).mensaje
    assert rechazo(tmp_path / "no-existe.geojson").codigo == "no_existe"
    assert rechazo(tmp_path).codigo == "no_es_archivo"


def test_geotiff_disfrazado_y_sin_crs(tmp_path, sin_rastros):
    falso = tmp_path / "dem.tif"
    falso.write_text(VRT)
    with pytest.raises(ImportacionRechazada, match="no es un GeoTIFF válido"):
        raster_importar(ruta=falso, nombre="dem", titulo="DEM")
    sin_crs = tmp_path / "sin-crs.tif"
    transformacion = rasterio.transform.from_origin(-73.2, -38.9, 0.001, 0.001)
    with rasterio.open(
        sin_crs, "w", driver="GTiff", width=8, height=8, count=1, dtype="int16", transform=transformacion
    ) as salida:
        salida.write(np.arange(64, dtype="int16").reshape(1, 8, 8))
    with rasterio.open(sin_crs) as leido:
        assert leido.crs is None and leido.width == 8
    with pytest.raises(ImportacionRechazada) as error:
        raster_importar(ruta=sin_crs, nombre="dem", titulo="DEM")
    assert error.value.codigo == "sin_crs"
    assert "no declara su sistema de coordenadas" in error.value.mensaje
