"""Identificador único entre capas vectoriales y ráster, garantizado por la base aun en simultáneo."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from capas.importacion.informe import ImportacionRechazada
from capas.importacion.raster import raster_importar
from capas.importacion.vectorial import capa_importar
from capas.models import CapaRaster, CapaReferencia, NombreCapa
from tests.factories import CapaReferenciaFactory
from tests.factories.archivos import geojson_poligono, geotiff_pequeno

MENSAJE = "Ya existe una capa «compartida»; elija otro identificador."


@pytest.fixture
def media(settings, tmp_path):
    """Usa un MEDIA_ROOT propio de la prueba."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def archivos(tmp_path):
    """Devuelve un GeoJSON (un polígono) y un GeoTIFF pequeños, ambos en el pueblo de Teodoro Schmidt."""
    return {
        "vectorial": geojson_poligono(tmp_path / "sector.geojson"),
        "raster": geotiff_pequeno(tmp_path / "pendiente.tif"),
    }


def _importar(tipo: str, archivos: dict):
    """Importa la capa «compartida» del tipo dado con el servicio real."""
    if tipo == "raster":
        return raster_importar(ruta=archivos["raster"], nombre="compartida", titulo="Ráster")
    return capa_importar(
        ruta=archivos["vectorial"], nombre="compartida", titulo="Vectorial", categoria="referencia"
    )


def _esperar_bloqueo(limite_s: float = 30) -> None:
    """Espera a que otra sesión de la base de pruebas esté detenida esperando un candado."""
    limite = time.monotonic() + limite_s
    with connection.cursor() as cursor:
        while time.monotonic() < limite:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("La segunda importación nunca esperó a la primera.")


@pytest.mark.parametrize(
    ("primera", "segunda"),
    [("vectorial", "vectorial"), ("vectorial", "raster"), ("raster", "vectorial")],
)
def test_importaciones_simultaneas_con_el_mismo_nombre_dejan_una_sola_capa(
    transactional_db, comuna, media, archivos, primera, segunda
):
    resultados = {}
    importada, soltar = threading.Event(), threading.Event()

    def importar_y_retener():
        # La primera importación termina pero no confirma hasta que la segunda ya pasó validar_nombre.
        try:
            with transaction.atomic():
                resultados["primera"] = _importar(primera, archivos)
                importada.set()
                soltar.wait(30)
        except Exception as error:  # noqa: BLE001 — se informa en el hilo principal
            resultados["primera"] = error
            importada.set()
        finally:
            connection.close()

    def importar_enseguida():
        try:
            resultados["segunda"] = _importar(segunda, archivos)
        except Exception as error:  # noqa: BLE001 — se informa en el hilo principal
            resultados["segunda"] = error
        finally:
            connection.close()

    hilos = [threading.Thread(target=importar_y_retener), threading.Thread(target=importar_enseguida)]
    hilos[0].start()
    assert importada.wait(60)
    hilos[1].start()
    try:
        _esperar_bloqueo()
    finally:
        soltar.set()
        for hilo in hilos:
            hilo.join(60)

    modelo = CapaRaster if primera == "raster" else CapaReferencia
    assert isinstance(resultados["primera"], modelo), resultados["primera"]
    assert isinstance(resultados["segunda"], ImportacionRechazada), resultados["segunda"]
    assert resultados["segunda"].mensaje == MENSAJE
    assert resultados["segunda"].codigo == "nombre"
    sobrevivientes = list(CapaReferencia.objects.values_list("nombre", "titulo")) + list(
        CapaRaster.objects.values_list("nombre", "titulo")
    )
    assert sobrevivientes == [("compartida", "Ráster" if primera == "raster" else "Vectorial")]
    assert list(NombreCapa.objects.values_list("nombre", flat=True)) == ["compartida"]
    rasters = sorted(p.name for p in (media / "rasters").glob("*")) if media.exists() else []
    assert rasters == (["compartida.tif"] if primera == "raster" else [])


def test_la_base_rechaza_un_raster_con_el_nombre_de_una_capa_vectorial_sin_pasar_por_el_servicio(db):
    CapaReferenciaFactory(nombre="rios")
    with pytest.raises(IntegrityError, match="capas_nombrecapa_pkey"), transaction.atomic():
        CapaRaster.objects.create(
            nombre="rios",
            titulo="Ríos",
            archivo="rasters/rios.tif",
            archivo_origen="rios.tif",
            srid=4326,
            ancho=1,
            alto=1,
            bandas=1,
            tipo_dato="uint8",
            resolucion_x=1,
            resolucion_y=1,
            extension="SRID=4326;POLYGON((-73 -39, -72.9 -39, -72.9 -38.9, -73 -39))",
        )
    assert CapaRaster.objects.count() == 0


def test_borrar_o_renombrar_una_capa_libera_su_nombre(db):
    capa = CapaReferenciaFactory(nombre="antigua")
    capa.nombre = "nueva"
    capa.save()
    assert list(NombreCapa.objects.values_list("nombre", flat=True)) == ["nueva"]
    otra = CapaReferenciaFactory(nombre="antigua")
    otra.delete()
    capa.delete()
    assert NombreCapa.objects.count() == 0
