"""Importación de rásteres: SRTM real de Villarrica y GeoTIFF generados (EPSG, sin EPSG, sin CRS)."""

from io import StringIO
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from django.core.management import call_command
from django.db import transaction
from rasterio.crs import CRS

from capas.importacion.huerfanos import rasters_huerfanos
from capas.importacion.informe import ImportacionRechazada
from capas.importacion.raster import raster_eliminar, raster_importar
from capas.importacion.vectorial import capa_importar
from capas.models import CapaRaster
from tests.conftest import COMUNAS_R09, DATOS_REALES

SRTM = DATOS_REALES / "srtm3_volcan_villarrica.tif"
# Meridiano central -73° (no es un huso UTM): PROJ no le encuentra código EPSG.
TMERC_PROPIO = "+proj=tmerc +lat_0=0 +lon_0=-73 +k=0.9996 +x_0=500000 +y_0=10000000 +ellps=GRS80 +units=m"


@pytest.fixture
def media(settings, tmp_path):
    """Usa un MEDIA_ROOT propio de la prueba."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def tifs(media: Path) -> list[str]:
    """Devuelve los archivos (relativos) que quedaron bajo MEDIA_ROOT."""
    return (
        sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
        if media.exists()
        else []
    )


def escribir_tif(
    ruta: Path, datos: np.ndarray, *, crs, x0: float, y0: float, paso: float, nodata=None
) -> Path:
    """Escribe un GeoTIFF simple (en tiras, sin comprimir), como lo entregaría cualquier software."""
    perfil = {
        "driver": "GTiff",
        "width": datos.shape[1],
        "height": datos.shape[0],
        "count": 1,
        "dtype": datos.dtype.name,
        "transform": Affine(paso, 0, x0, 0, -paso, y0),
        "nodata": nodata,
    }
    if crs is not None:
        perfil["crs"] = crs
    with rasterio.open(ruta, "w", **perfil) as destino:
        destino.write(datos, 1)
    return ruta


def gradiente() -> np.ndarray:
    """Devuelve 1200×1500 valores fila+columna (0…2698) con las 10 primeras filas sin dato."""
    datos = np.add.outer(np.arange(1200), np.arange(1500)).astype("int16")
    datos[:10, :] = -32768
    return datos


def test_srtm_villarrica_fuera_de_la_comuna_se_rechaza_sin_archivos(comuna, media):
    with pytest.raises(ImportacionRechazada, match="queda a \\d+ km del entorno") as error:
        raster_importar(ruta=SRTM, nombre="dem-villarrica", titulo="DEM Villarrica")
    assert error.value.codigo == "fuera_de_comuna"
    assert CapaRaster.objects.count() == 0 and tifs(media) == []


def test_srtm_villarrica_confirmado_guarda_cog_y_estadisticas(comuna, media):
    capa = raster_importar(
        ruta=SRTM, nombre="dem-villarrica", titulo="DEM Villarrica", confirmar_fuera=True, publica=True
    )
    assert (capa.ancho, capa.alto, capa.bandas, capa.tipo_dato, capa.srid) == (493, 337, 1, "float32", 4326)
    assert capa.resolucion_x == pytest.approx(1 / 1200) and capa.nodata == -9999.0
    banda = capa.estadisticas[0]
    assert banda["maximo"] == pytest.approx(2849) and banda["minimo"] == pytest.approx(215)
    assert banda["validos"] == 493 * 337 and banda["sin_dato"] == 0
    xmin, ymin, xmax, ymax = capa.extension.extent
    assert (xmin, ymin, xmax, ymax) == pytest.approx((-71.98042, -39.54042, -71.56958, -39.25958), abs=1e-4)
    assert "lo confirmó" in capa.informe["avisos"][0]
    assert tifs(media) == ["rasters/dem-villarrica.tif"]
    with rasterio.open(media / capa.archivo) as ds:
        assert ds.profile["tiled"] and ds.block_shapes[0] == (512, 512)
        assert ds.compression.name == "deflate"
        assert ds.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
        assert float(ds.read(1).max()) == pytest.approx(2849)
        fila, columna = ds.index(-71.939, -39.421)
        assert ds.read(1)[fila, columna] > 2700


def test_geotiff_utm_conserva_crs_con_overviews(comuna, media, tmp_path):
    ruta = escribir_tif(
        tmp_path / "gradiente.tif",
        gradiente(),
        crs="EPSG:32718",
        x0=650000,
        y0=5700000,
        paso=30,
        nodata=-32768,
    )
    capa = raster_importar(ruta=ruta, nombre="gradiente", titulo="Gradiente", categoria="raster")
    assert (capa.srid, capa.ancho, capa.alto, capa.resolucion_x, capa.nodata) == (
        32718,
        1500,
        1200,
        30,
        -32768,
    )
    banda = capa.estadisticas[0]
    assert (banda["minimo"], banda["maximo"], banda["validos"], banda["sin_dato"]) == (
        10,
        2698,
        1190 * 1500,
        15000,
    )
    assert banda["media"] == pytest.approx((10 + 1199) / 2 + 1499 / 2)
    assert capa.extension.srid == 4326 and capa.extension.intersects(comuna.limite)
    with rasterio.open(media / capa.archivo) as ds:
        assert ds.crs.to_epsg() == 32718 and ds.overviews(1) == [2, 4]
        assert ds.block_shapes[0] == (512, 512) and ds.compression.name == "deflate"
        assert int(ds.read(1)[500, 700]) == 1200


def test_geotiff_con_crs_sin_codigo_se_reproyecta_a_4326(comuna, media, tmp_path):
    ruta = escribir_tif(
        tmp_path / "propio.tif",
        np.full((400, 500), 7, dtype="uint8"),
        crs=CRS.from_proj4(TMERC_PROPIO),
        x0=490000,
        y0=5690000,
        paso=50,
        nodata=0,
    )
    capa = raster_importar(ruta=ruta, nombre="propio", titulo="CRS propio")
    assert capa.srid == 4326
    assert capa.estadisticas[0]["minimo"] == 7 and capa.estadisticas[0]["maximo"] == 7
    assert capa.extension.intersects(comuna.limite)
    with rasterio.open(media / capa.archivo) as ds:
        assert ds.crs.to_epsg() == 4326


def test_geotiff_sin_crs_exige_srid(comuna, media, tmp_path):
    ruta = escribir_tif(
        tmp_path / "sin_crs.tif", np.ones((100, 100), "float32"), crs=None, x0=650000, y0=5690000, paso=100
    )
    with pytest.raises(ImportacionRechazada, match="no declara su sistema de coordenadas"):
        raster_importar(ruta=ruta, nombre="sin-crs", titulo="Sin CRS")
    assert tifs(media) == []
    capa = raster_importar(ruta=ruta, nombre="sin-crs", titulo="Sin CRS", srid=32718)
    assert capa.srid == 32718 and capa.extension.intersects(comuna.limite)
    assert tifs(media) == ["rasters/sin-crs.tif"]


def test_nombre_ocupado_por_capa_vectorial_no_deja_archivo(comuna, media):
    capa_importar(ruta=COMUNAS_R09, nombre="dem", titulo="Comunas", categoria="limite")
    with pytest.raises(ImportacionRechazada, match="Ya existe una capa «dem»"):
        raster_importar(ruta=SRTM, nombre="dem", titulo="DEM", confirmar_fuera=True)
    assert CapaRaster.objects.count() == 0 and tifs(media) == []


def test_eliminar_raster_borra_su_archivo_al_confirmar(
    comuna, media, planificador, django_capture_on_commit_callbacks
):
    capa = raster_importar(
        ruta=SRTM, nombre="dem-borrable", titulo="DEM", confirmar_fuera=True, actor=planificador
    )
    assert tifs(media) == ["rasters/dem-borrable.tif"]
    with django_capture_on_commit_callbacks(execute=False) as pendientes:
        raster_eliminar(capa=capa, actor=planificador)
    # Hasta confirmar, el archivo sigue: una reversión no deja una fila sin archivo.
    assert tifs(media) == ["rasters/dem-borrable.tif"]
    for callback in pendientes:
        callback()
    assert tifs(media) == []
    assert not CapaRaster.objects.filter(nombre="dem-borrable").exists()


def test_importacion_revertida_por_fuera_deja_un_huerfano_que_la_orden_borra(comuna, media):
    class Revertir(Exception):
        pass

    conservada = raster_importar(ruta=SRTM, nombre="dem-vigente", titulo="DEM", confirmar_fuera=True)
    with pytest.raises(Revertir), transaction.atomic():
        raster_importar(ruta=SRTM, nombre="dem-revertido", titulo="DEM", confirmar_fuera=True)
        raise Revertir
    assert not CapaRaster.objects.filter(nombre="dem-revertido").exists()
    assert tifs(media) == ["rasters/dem-revertido.tif", "rasters/dem-vigente.tif"]
    # Recién escrito: se respeta (podría ser una importación en curso).
    assert rasters_huerfanos() == []
    salida = StringIO()
    call_command("capas_huerfanos", "--antiguedad-min", "0", stdout=salida)
    assert "Sin dueño: 1 archivos ráster," in salida.getvalue()
    assert tifs(media) == ["rasters/dem-revertido.tif", "rasters/dem-vigente.tif"]
    call_command("capas_huerfanos", "--borrar", "--antiguedad-min", "0", stdout=StringIO())
    assert tifs(media) == ["rasters/dem-vigente.tif"]
    assert conservada.archivo == "rasters/dem-vigente.tif"
