"""Los tres GDAL del proceso (pyogrio, rasterio, Django) quedan con su lista blanca y sin red."""

import ctypes
import subprocess
import sys

import numpy as np
import pyogrio
import pytest
import rasterio
import rasterio.crs
import rasterio.transform
from django.contrib.gis.gdal import Driver, SpatialReference
from django.core.exceptions import ImproperlyConfigured
from rasterio.vrt import WarpedVRT

from capas import gdal_seguro
from capas.importacion import seguridad
from capas.importacion.informe import ImportacionRechazada
from capas.importacion.lectores import LectorVectorial
from capas.importacion.raster import raster_importar
from tests.conftest import RAIZ, manage_en_proceso

# Controladores que leen otros archivos, URL o bases: ninguno debe existir en ningún GDAL.
META = {
    "VRT", "OGR_VRT", "GDALG", "GTI", "WMS", "WMTS", "WCS", "WFS", "OAPIF", "OGCAPI", "STACTA", "STACIT",
    "PLSCENES", "PLMOSAIC", "EEDA", "EEDAI", "DAAS", "HTTP", "PostgreSQL", "PostGISRaster", "SQLite",
    "CSW", "NGW", "Carto", "AmigoCloud", "Elasticsearch", "MBTiles", "Rasterlite", "KMLSUPEROVERLAY",
    "DERIVED", "Zarr", "netCDF", "HDF5", "GNMFile", "GNMDatabase", "ADBC", "Memory",
}  # fmt: skip
PREFIJOS_DE_RED = [
    "/vsicurl/", "/vsicurl_streaming/", "/vsis3/", "/vsis3_streaming/", "/vsigs/", "/vsigs_streaming/",
    "/vsiaz/", "/vsiaz_streaming/", "/vsiadls/", "/vsioss/", "/vsioss_streaming/", "/vsiswift/",
    "/vsiswift_streaming/", "/vsiwebhdfs/",
]  # fmt: skip


def por_usuario() -> dict[str, gdal_seguro.Gdal]:
    """Devuelve cada GDAL blindado según quién lo usa."""
    return {u: g for g in gdal_seguro.blindar() for u in g.usuarios}


def test_hay_tres_gdal_distintos_cada_uno_con_su_lista_blanca_exacta():
    gdals = por_usuario()
    assert set(gdals) == {"pyogrio", "rasterio", "django"}
    assert len({g.ruta for g in gdals.values()}) == 3
    assert gdals["pyogrio"].version().startswith("3.12")
    assert gdals["rasterio"].version().startswith("3.10")
    assert gdals["django"].version().startswith("3.6")
    assert sorted(gdals["pyogrio"].controladores()) == [
        "CSV", "ESRI Shapefile", "GPKG", "GeoJSON", "KML", "LIBKML"
    ]  # fmt: skip
    assert sorted(gdals["rasterio"].controladores()) == ["COG", "GTiff", "MEM"]
    assert gdals["django"].controladores() == []


def test_cada_biblioteca_ve_solo_su_lista_blanca_por_su_propia_api():
    assert set(pyogrio.list_drivers()) == gdal_seguro.VECTORIALES
    with rasterio.Env() as entorno:
        assert set(entorno.drivers()) == gdal_seguro.RASTER
    # Django registra todo si no ve controladores: GDAL_SKIP los vuelve a quitar.
    Driver.ensure_registered()
    assert Driver.driver_count() == 0


def test_ningun_controlador_meta_existe_en_ningun_gdal():
    for gdal in gdal_seguro.blindar():
        assert META.isdisjoint(gdal.controladores()), gdal.nombre


def test_volver_a_registrar_no_devuelve_los_controladores_quitados():
    for gdal in gdal_seguro.blindar():
        antes = gdal.controladores()
        gdal.lib.GDALAllRegister()
        assert gdal.controladores() == antes, gdal.nombre


def test_la_lista_blanca_es_lo_que_importan_y_exportan_los_servicios():
    formatos = {*seguridad.VECTORIALES.values(), *seguridad.RASTER.values()}
    entradas = [seguridad.Entrada(ruta=None, controlador=f, origen="") for f in formatos]
    abren = {c for entrada in entradas for c in entrada.controladores}
    assert gdal_seguro.VECTORIALES == abren - {"GTiff"}
    # El COG es el formato en que se guardan los rásteres; MEM, el destino de cada ventana reproyectada.
    assert gdal_seguro.RASTER == {"GTiff", "COG", "MEM"}


def test_la_red_queda_cortada_en_cada_gdal():
    for gdal in gdal_seguro.blindar():
        assert set(gdal.prefijos_vsi()) - gdal.reemplazados <= gdal_seguro.PREFIJOS_VSI, gdal.nombre
        assert gdal.opcion("CPL_VSIL_CURL_ALLOWED_FILENAME") == gdal_seguro.SIN_NOMBRE_PERMITIDO
        assert gdal.opcion("PROJ_NETWORK") == "OFF"
        assert gdal.opcion("GDAL_DRIVER_PATH") == "disable"
        assert not gdal.red_de_proj()


@pytest.mark.parametrize("prefijo", PREFIJOS_DE_RED)
def test_ningun_sistema_de_archivos_de_red_se_conecta(escucha, prefijo, monkeypatch):
    # Cada servicio de nube apunta al servidor local: sin el blindaje, todos le harían peticiones.
    host = f"127.0.0.1:{escucha.puerto}"
    for clave, valor in {
        "AWS_S3_ENDPOINT": host, "AWS_NO_SIGN_REQUEST": "YES", "AWS_HTTPS": "NO", "AWS_VIRTUAL_HOSTING": "NO",
        "CPL_GS_ENDPOINT": f"{escucha.url}/", "GS_NO_SIGN_REQUEST": "YES", "AZURE_NO_SIGN_REQUEST": "YES",
        "AZURE_STORAGE_CONNECTION_STRING": f"AccountName=a;AccountKey=YQ==;BlobEndpoint={escucha.url}/a",
        "OSS_ENDPOINT": host, "OSS_HTTPS": "NO", "OSS_ACCESS_KEY_ID": "a", "OSS_SECRET_ACCESS_KEY": "b",
        "SWIFT_STORAGE_URL": f"{escucha.url}/v1", "SWIFT_AUTH_TOKEN": "t",
    }.items():  # fmt: skip
        monkeypatch.setenv(clave, valor)
    ruta = f"{prefijo}{escucha.url}/x.tif" if "curl" in prefijo or "hdfs" in prefijo else f"{prefijo}b/x.tif"
    for gdal in gdal_seguro.blindar():
        lib = gdal.lib
        lib.VSIStatL.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        lib.VSIFOpenL.argtypes, lib.VSIFOpenL.restype = [ctypes.c_char_p, ctypes.c_char_p], ctypes.c_void_p
        assert lib.VSIStatL(ruta.encode(), ctypes.create_string_buffer(512)) != 0, gdal.nombre
        assert lib.VSIFOpenL(ruta.encode(), b"rb") is None, gdal.nombre
    assert escucha.peticiones == []


def test_cplhttpfetch_y_los_crs_por_url_responden_error_sin_conectarse(escucha):
    for gdal in gdal_seguro.blindar():
        lib = gdal.lib
        lib.CPLHTTPFetch.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        lib.CPLHTTPFetch.restype = ctypes.c_void_p
        direccion = lib.CPLHTTPFetch(f"{escucha.url}/a".encode(), None)
        resultado = gdal_seguro.ResultadoHTTP.from_address(direccion)
        assert resultado.nStatus != 0 and ctypes.string_at(resultado.pszErrBuf) == gdal_seguro.MENSAJE_HTTP
        lib.OSRNewSpatialReference.restype = ctypes.c_void_p
        lib.OSRSetFromUserInput.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        srs = lib.OSRNewSpatialReference(None)
        assert lib.OSRSetFromUserInput(srs, f"{escucha.url}/srs".encode()) != 0, gdal.nombre
    with pytest.raises(Exception):  # noqa: B017 (GDALException o SRSException según la ruta de Django)
        SpatialReference(f"{escucha.url}/epsg/4326")
    assert escucha.peticiones == []


def test_una_lista_blanca_distinta_hace_fallar_el_arranque_en_espanol():
    rasterio_gdal = por_usuario()["rasterio"]
    falso = gdal_seguro.Gdal(
        usuarios=("rasterio",), ruta=rasterio_gdal.ruta, lista_blanca=gdal_seguro.RASTER | {"VRT"}
    )
    falso.lib = rasterio_gdal.lib
    esperado = r"controladores GTiff, COG, MEM \(se esperaba exactamente COG, GTiff, MEM, VRT\)"
    with pytest.raises(ImproperlyConfigured, match=esperado):
        gdal_seguro.verificar(falso)


def test_manage_py_en_otro_proceso_queda_blindado():
    codigo = (
        "from capas.gdal_seguro import blindados; "
        "print(sorted((u, tuple(sorted(g.controladores()))) for g in blindados() for u in g.usuarios))"
    )
    resultado = manage_en_proceso("shell", "-v", "0", "-c", codigo)
    assert resultado.returncode == 0, resultado.stderr
    assert resultado.stdout.strip() == str(
        [
            ("django", ()),
            ("pyogrio", ("CSV", "ESRI Shapefile", "GPKG", "GeoJSON", "KML", "LIBKML")),
            ("rasterio", ("COG", "GTiff", "MEM")),
        ]
    )


def test_la_aplicacion_wsgi_queda_blindada_al_cargarse():
    codigo = (
        "import os; os.environ.setdefault('SECRET_KEY', 'x' * 50); "
        "os.environ.setdefault('DATABASE_URL', 'postgis://nadie@localhost/nada'); "
        "import territorio.wsgi; import pyogrio; print(sorted(pyogrio.list_drivers()))"
    )
    resultado = subprocess.run(
        [sys.executable, "-c", codigo], cwd=RAIZ, capture_output=True, text=True, timeout=120, check=False
    )
    assert resultado.returncode == 0, resultado.stderr
    assert resultado.stdout.strip() == str(sorted(gdal_seguro.VECTORIALES))


def test_si_gdal_abre_con_otro_controlador_que_el_de_la_extension_se_rechaza(tmp_path):
    ruta = tmp_path / "puntos.csv"
    ruta.write_text("lon,lat\n-73.09,-38.99\n")
    # Un .csv lo abre CSV: si la entrada esperaba GeoJSON, el lector no lo acepta.
    entrada = seguridad.Entrada(ruta=ruta, controlador="GeoJSON", origen="puntos.geojson")
    with pytest.raises(ImportacionRechazada) as rechazo:
        LectorVectorial(entrada)
    assert rechazo.value.codigo == "controlador"
    assert rechazo.value.mensaje == (
        "«puntos.geojson» no es un GeoJSON válido: su contenido es de otro formato."
    )


def test_abrir_mem_por_puntero_esta_apagado():
    with pytest.raises(rasterio.errors.RasterioIOError, match="MEM:::DATAPOINTER"):
        rasterio.open("MEM:::DATAPOINTER=0x1000,PIXELS=1,LINES=1")


def test_reproyectar_un_raster_no_vuelve_a_registrar_controladores(comuna, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ruta = tmp_path / "propio.tif"
    # Transversa de Mercator sin código EPSG: la importación reproyecta a 4326 por ventanas.
    crs = rasterio.crs.CRS.from_proj4("+proj=tmerc +lat_0=0 +lon_0=-73 +k=0.9996 +x_0=500000 +y_0=10000000")
    perfil = {"driver": "GTiff", "width": 300, "height": 200, "count": 1, "dtype": "uint8", "nodata": 0,
              "crs": crs, "transform": rasterio.transform.from_origin(490000, 5690000, 50, 50)}  # fmt: skip
    with rasterio.open(ruta, "w", **perfil) as destino:
        destino.write(np.full((1, 200, 300), 7, dtype="uint8"))
    capa = raster_importar(ruta=ruta, nombre="propio", titulo="CRS propio")
    assert capa.srid == 4326 and capa.estadisticas[0]["minimo"] == capa.estadisticas[0]["maximo"] == 7
    for gdal in gdal_seguro.blindar():
        assert sorted(gdal.controladores()) == sorted(gdal.lista_blanca), gdal.nombre


def test_un_controlador_registrado_por_fuera_se_quita_antes_de_la_siguiente_importacion(tmp_path, caplog):
    ruta = tmp_path / "a.tif"
    perfil = {"driver": "GTiff", "width": 4, "height": 4, "count": 1, "dtype": "uint8", "crs": "EPSG:32718",
              "transform": rasterio.transform.from_origin(650000, 5700000, 30, 30)}  # fmt: skip
    with rasterio.open(ruta, "w", **perfil) as destino:
        destino.write(np.ones((1, 4, 4), dtype="uint8"))
    # WarpedVRT registra el controlador VRT directamente, sin GDALAllRegister ni GDAL_SKIP.
    with rasterio.open(ruta) as fuente, WarpedVRT(fuente, crs="EPSG:4326"):
        pass
    (rasterio_gdal,) = [g for g in gdal_seguro.blindados() if "rasterio" in g.usuarios]
    assert "VRT" in rasterio_gdal.controladores()
    (tmp_path / "trabajo").mkdir()
    entrada = seguridad.preparar_entrada(ruta, tmp_path / "trabajo")
    assert entrada.controlador == "GTiff"
    assert sorted(rasterio_gdal.controladores()) == ["COG", "GTiff", "MEM"]
    assert "no quedó blindado: controladores GTiff, COG, MEM, VRT" in caplog.text
