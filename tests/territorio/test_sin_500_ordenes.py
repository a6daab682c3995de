"""Órdenes de manage.py: ante una falla, una línea en español y código 1 (la traza, con --traceback)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection

from capas.importacion.informe import ImportacionRechazada
from capas.management.orden import mensaje_de, una_linea
from capas.models import CapaRaster
from tests.conftest import DATOS_REALES, manage_en_proceso

# Un bloque DEFLATE dañado a mitad del SRTM: la cabecera se lee, los píxeles no (el 500 del sondeo).
SRTM = DATOS_REALES / "srtm3_volcan_villarrica.tif"


@pytest.fixture
def srtm_danado(tmp_path):
    """Devuelve una copia del SRTM real con un tramo de sus datos comprimidos en ceros."""
    datos = bytearray(SRTM.read_bytes())
    datos[60_000:64_096] = bytes(4096)
    ruta = tmp_path / "srtm_danado.tif"
    ruta.write_bytes(bytes(datos))
    return ruta


def _una_linea_de_error(proceso) -> str:
    lineas = proceso.stderr.splitlines()
    assert proceso.returncode == 1, proceso.stderr
    assert len(lineas) == 1, proceso.stderr
    assert "Traceback" not in proceso.stderr
    return lineas[0]


def test_raster_danado_sale_con_una_linea_en_espanol(
    transactional_db, comuna, srtm_danado, settings, tmp_path
):
    linea = _una_linea_de_error(
        manage_en_proceso("capas_importar", srtm_danado, "--confirmar-fuera", "-v", "0")
    )
    assert linea.startswith("No se importó nada. El GeoTIFF está dañado o incompleto")
    assert CapaRaster.objects.count() == 0
    # Con barra de progreso (verbosidad normal) tampoco hay traza: la última línea es el motivo.
    proceso = manage_en_proceso("capas_importar", srtm_danado, "--confirmar-fuera")
    assert proceso.returncode == 1 and "Traceback" not in proceso.stderr
    assert proceso.stderr.splitlines()[-1].startswith("No se importó nada. El GeoTIFF está dañado")


def test_con_traceback_se_ve_la_traza(transactional_db, comuna, srtm_danado):
    proceso = manage_en_proceso("capas_importar", srtm_danado, "--confirmar-fuera", "-v", "0", "--traceback")
    assert proceso.returncode == 1
    assert "Traceback (most recent call last)" in proceso.stderr
    assert "El GeoTIFF está dañado o incompleto" in proceso.stderr


def test_error_inesperado_es_una_linea_que_sugiere_traceback(transactional_db):
    # /dev/null no es un directorio: capas_exportar no lo espera y antes salía con la traza completa.
    linea = _una_linea_de_error(
        manage_en_proceso("capas_exportar", "--formato", "gpkg", "--salida", "/dev/null/x.gpkg", "-v", "0")
    )
    assert linea.startswith("Error inesperado (FileExistsError") or linea.startswith(
        "Error inesperado (NotADirectoryError"
    )
    assert linea.endswith("Repita la orden con --traceback para ver el detalle.")
    con_traza = manage_en_proceso(
        "capas_exportar", "--formato", "gpkg", "--salida", "/dev/null/x.gpkg", "-v", "0", "--traceback"
    )
    assert con_traza.returncode == 1 and "Traceback (most recent call last)" in con_traza.stderr


@pytest.mark.parametrize("orden", [["capas_listar"], ["demo_cargar"]])
def test_base_caida_es_una_linea_en_espanol(db, monkeypatch, orden):
    # El proceso hijo recibe un socket que no existe: PostgreSQL inalcanzable.
    monkeypatch.setitem(connection.settings_dict, "HOST", "/nonexistent/territorio-sin-base")
    linea = _una_linea_de_error(manage_en_proceso(*orden, "-v", "0"))
    assert linea.startswith("No se pudo conectar a la base de datos: ")
    assert "/nonexistent/territorio-sin-base" in linea


def test_call_command_recibe_commanderror_con_la_misma_linea(
    transactional_db, comuna, srtm_danado, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(CommandError, match=r"^No se importó nada\. El GeoTIFF está dañado"):
        call_command("capas_importar", str(srtm_danado), "--confirmar-fuera", verbosity=0)


def test_mensajes_de_una_linea_por_tipo_de_falla():
    rechazo = ImportacionRechazada("2 de 5 elementos son inválidos.", detalles=["fid 1: a", "fid 2: b"])
    assert mensaje_de(rechazo) == "2 de 5 elementos son inválidos. (fid 1: a; fid 2: b)"
    assert mensaje_de(ValidationError({"geom": ["Fuera de la comuna."]})) == "Fuera de la comuna."
    assert mensaje_de(OperationalError("connection is bad: sin socket\n\tIs the server running?")) == (
        "No se pudo conectar a la base de datos: sin socket (Is the server running?)"
    )
    assert mensaje_de(KeyError("x")).startswith("Error inesperado (KeyError: 'x').")
    assert una_linea("uno\n  - dos\n\n  - tres") == "uno (dos; tres)"
