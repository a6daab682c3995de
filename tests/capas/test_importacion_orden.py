"""Orden capas_importar: resumen al importar, código de salida ≠ 0 y mensaje en español al rechazar."""

import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from capas.models import CapaRaster, CapaReferencia, ElementoReferencia
from tests.conftest import COMUNAS_R09, DATOS_REALES, manage_en_proceso

# La orden corre la importación en un proceso hijo con su propia conexión: ve solo lo confirmado.
pytestmark = pytest.mark.django_db(transaction=True)


def orden(*argumentos) -> str:
    """Ejecuta capas_importar en el proceso y devuelve su salida estándar."""
    salida = StringIO()
    call_command("capas_importar", *map(str, argumentos), stdout=salida, stderr=StringIO(), verbosity=0)
    return salida.getvalue()


def test_importa_comunas_ine_con_resumen(comuna):
    salida = orden(COMUNAS_R09, "--nombre", "comunas-r09", "--categoria", "limite", "--titulo", "Comunas R09")
    assert "Capa «comunas-r09» importada: 32 elementos (MultiPolygon) desde EPSG:4674" in salida
    capa = CapaReferencia.objects.get(nombre="comunas-r09")
    assert (capa.categoria, capa.titulo, capa.n_elementos) == ("limite", "Comunas R09", 32)


def test_nombre_por_defecto_sale_del_archivo_y_gpkg_con_srid(comuna):
    salida = orden(DATOS_REALES / "dga_subsubcuencas_bna_araucania.gpkg", "--categoria", "cuenca")
    assert "«dga-subsubcuencas-bna-araucania» importada: 112 elementos" in salida
    assert CapaReferencia.objects.get().srid_origen == 32719


def test_raster_con_confirmacion(comuna, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    salida = orden(DATOS_REALES / "srtm3_volcan_villarrica.tif", "--nombre", "dem", "--confirmar-fuera")
    assert "Ráster «dem» importado: 493×337, EPSG:4326." in salida
    assert CapaRaster.objects.get().estadisticas[0]["maximo"] == pytest.approx(2849)
    assert (tmp_path / "rasters" / "dem.tif").is_file()


def test_raster_dentro_de_un_zip_va_al_importador_raster(comuna, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    zip_dem = tmp_path / "dem.zip"
    with zipfile.ZipFile(zip_dem, "w", zipfile.ZIP_DEFLATED) as archivo:
        archivo.write(DATOS_REALES / "srtm3_volcan_villarrica.tif", "SRTM/volcán.tif")
        archivo.writestr("SRTM/LEAME.txt", "Modelo de elevación SRTM 3″")
    salida = orden(zip_dem, "--confirmar-fuera")
    assert "Ráster «dem» importado: 493×337, EPSG:4326." in salida
    capa = CapaRaster.objects.get()
    assert (capa.categoria, capa.archivo_origen) == ("raster", "dem.zip")
    assert (tmp_path / "media" / "rasters" / "dem.tif").is_file()


def test_rechazo_lanza_commanderror_en_espanol(comuna, tmp_path):
    with pytest.raises(CommandError, match="No se importó nada. Identificador inválido «Mal»"):
        orden(COMUNAS_R09, "--nombre", "Mal")
    csv = tmp_path / "puntos.csv"
    csv.write_text("nombre,lon,lat\nx,-73.09,-38.99\n")
    with pytest.raises(
        CommandError,
        match=r"no declara su sistema de coordenadas; indique cuál es con --srid \(p\. ej\. 4326",
    ):
        orden(csv)
    assert CapaReferencia.objects.count() == 0 and ElementoReferencia.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_proceso_real_sale_con_codigo_distinto_de_cero(tmp_path):
    hostil = tmp_path / "url.geojson"
    crs = {"type": "name", "properties": {"name": "http://www.opengis.net/def/crs/EPSG/0/4326"}}
    hostil.write_text(json.dumps({"type": "FeatureCollection", "crs": crs, "features": []}))
    resultado = manage_en_proceso("capas_importar", hostil, "--nombre", "hostil")
    assert resultado.returncode == 1
    assert "No se importó nada." in resultado.stderr and "no se aceptan CRS por URL" in resultado.stderr
    resultado = manage_en_proceso("capas_importar", COMUNAS_R09, "--nombre", "comunas", "--srid", "4674")
    assert resultado.returncode == 1 and "capa del sistema" in resultado.stderr
    assert CapaReferencia.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_proceso_real_importa_y_sale_con_cero():
    resultado = manage_en_proceso(
        "capas_importar", COMUNAS_R09, "--nombre", "comunas-r09", "--titulo", "Comunas"
    )
    assert resultado.returncode == 0, resultado.stderr
    assert "32 elementos" in resultado.stdout
    # La fila la escribió otro proceso: se lee de la base, no de la transacción de la prueba.
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_elementos FROM capas_capareferencia WHERE nombre = 'comunas-r09'")
        assert cursor.fetchone() == (32,)
