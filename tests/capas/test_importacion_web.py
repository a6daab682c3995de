"""Formulario /capas/importar/: encola la importación (303) y la página del trabajo muestra el informe.

El trabajador real de la cola corre aquí (fixture ``trabajador``); lo hostil no crea nada.
"""

import io
import json
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from capas.models import CapaRaster, CapaReferencia, ElementoReferencia, Trabajo
from tests.conftest import COMUNAS_R09, DATOS_REALES

URL = "/capas/importar/"
pytestmark = pytest.mark.django_db(transaction=True)
MOÑO = [[-73.10, -38.98], [-73.05, -38.93], [-73.05, -38.98], [-73.10, -38.93], [-73.10, -38.98]]


def subida(nombre: str, contenido: bytes) -> SimpleUploadedFile:
    """Devuelve un archivo subido (multipart) con el nombre y contenido dados."""
    return SimpleUploadedFile(nombre, contenido, content_type="application/octet-stream")


def datos(archivo, **extra) -> dict:
    """Devuelve los campos del formulario con valores de prueba."""
    return {
        "archivo": archivo,
        "nombre": "comunas-r09",
        "titulo": "Comunas R09",
        "categoria": "limite",
        **extra,
    }


def importar(client, trabajador, datos_formulario) -> tuple[int, str]:
    """Envía el formulario, corre la cola y devuelve (código de la página del trabajo, su HTML)."""
    respuesta = client.post(URL, datos_formulario)
    assert respuesta.status_code == 303, respuesta.content.decode()[:2000]
    trabajador()
    pagina = client.get(respuesta["Location"])
    return pagina.status_code, pagina.content.decode()


def test_formulario_muestra_barra_de_progreso(client, planificador):
    client.force_login(planificador)
    respuesta = client.get(URL)
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert 'enctype="multipart/form-data"' in html and 'id="progreso-subida"' in html
    assert "js/importar.js" in html and "Categoría" in html


def test_subir_geojson_crea_la_capa_y_muestra_el_informe(client, planificador, comuna, trabajador):
    client.force_login(planificador)
    archivo = subida("Comunas Araucanía.geojson", COMUNAS_R09.read_bytes())
    inicio = time.monotonic()
    respuesta = client.post(URL, datos(archivo))
    assert time.monotonic() - inicio < 2
    # Responde al instante: la importación quedó en la cola, aún sin capa.
    assert respuesta.status_code == 303
    trabajo = Trabajo.objects.get()
    assert respuesta["Location"] == f"/capas/trabajos/{trabajo.pk}/"
    assert (trabajo.estado, trabajo.usuario, CapaReferencia.objects.count()) == ("pendiente", planificador, 0)
    pendiente = client.get(respuesta["Location"]).content.decode()
    assert "En cola…" in pendiente and 'http-equiv="refresh"' in pendiente and "js/trabajo.js" in pendiente
    trabajador()
    pagina = client.get(respuesta["Location"])
    html = pagina.content.decode()
    assert pagina.status_code == 200 and 'http-equiv="refresh"' not in html
    assert "Capa «comunas-r09» importada" in html
    assert "32 de 32 leídos (MultiPolygon)" in html and "EPSG:4674" in html
    assert "NOM_COMUNA (texto)" in html
    capa = CapaReferencia.objects.get(nombre="comunas-r09")
    assert (capa.n_elementos, capa.categoria, capa.creada_por, capa.archivo_origen) == (
        32,
        "limite",
        planificador,
        "Comunas Araucanía.geojson",
    )


def test_subida_grande_se_importa_desde_el_archivo_temporal_de_django(
    client, planificador, comuna, settings, trabajador
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # toda subida va a disco, como las grandes
    client.force_login(planificador)
    codigo, html = importar(
        client, trabajador, datos(subida("Comunas Araucanía.geojson", COMUNAS_R09.read_bytes()))
    )
    assert codigo == 200 and "Capa «comunas-r09» importada" in html
    assert CapaReferencia.objects.get().archivo_origen == "Comunas Araucanía.geojson"
    codigo, html = importar(client, trabajador, datos(subida("roto.geojson", b"[1, 2]"), nombre="otra"))
    assert codigo == 200 and "«roto.geojson» no es un GeoJSON válido" in html and 'role="alert"' in html


def test_reparar_desde_el_formulario_lista_lo_reparado(client, planificador, comuna, trabajador):
    client.force_login(planificador)
    rasgo = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [MOÑO]}}
    contenido = json.dumps({"type": "FeatureCollection", "features": [rasgo]}).encode()
    codigo, html = importar(client, trabajador, datos(subida("m.geojson", contenido), nombre="mono"))
    assert (
        "No se importó nada" in html and "fid 0: autointersección en lon -73.075000, lat -38.955000" in html
    )
    # La web nombra la casilla del formulario, no la opción de la orden.
    assert "marque «Reparar geometrías inválidas»" in html and "--reparar" not in html
    codigo, html = importar(
        client, trabajador, datos(subida("m.geojson", contenido), nombre="mono", reparar="on")
    )
    assert codigo == 200 and "Geometrías reparadas (1)" in html
    assert "reparada con MakeValid: 2 partes" in html


def test_sin_sistema_de_coordenadas_la_web_pide_el_campo_srid_sin_hablar_de_la_orden(
    client, planificador, comuna, trabajador
):
    client.force_login(planificador)
    csv = subida("puntos.csv", b"nombre,lon,lat\nx,-73.09,-38.99\n")
    codigo, html = importar(client, trabajador, datos(csv, nombre="puntos"))
    assert codigo == 200 and "indique cuál es en el campo «SRID (EPSG)»" in html
    assert "--srid" not in html and "en la orden" not in html
    assert Trabajo.objects.get().error.startswith("El archivo no declara su sistema de coordenadas")


def test_archivo_hostil_muestra_el_error_y_no_crea_nada(
    client, planificador, comuna, settings, tmp_path, trabajador
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(planificador)
    antes = set(Path(tempfile.gettempdir()).glob("territorio-importar-*"))
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>&x;</name></Document></kml>'
    )
    codigo, html = importar(client, trabajador, datos(subida("capa.kml", xxe.encode())))
    assert 'role="alert"' in html and "posible ataque XXE" in html
    respuesta = client.post(URL, datos(subida("capa.vrt", b"<OGRVRTDataSource/>")))
    assert respuesta.status_code == 400 and "Formato no aceptado" in respuesta.content.decode()
    srtm = (DATOS_REALES / "srtm3_volcan_villarrica.tif").read_bytes()
    codigo, html = importar(
        client, trabajador, datos(subida("dem.tif", srtm), nombre="dem", categoria="raster")
    )
    assert "queda a" in html
    assert CapaReferencia.objects.count() == 0 and ElementoReferencia.objects.count() == 0
    assert CapaRaster.objects.count() == 0 and not list(tmp_path.rglob("*.tif"))
    assert set(Path(tempfile.gettempdir()).glob("territorio-importar-*")) == antes
    assert list(Path(settings.CAPAS_TRABAJOS_DIR).iterdir()) == []


def test_raster_confirmado_muestra_estadisticas(client, planificador, comuna, settings, tmp_path, trabajador):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(planificador)
    srtm = (DATOS_REALES / "srtm3_volcan_villarrica.tif").read_bytes()
    extra = {"nombre": "dem", "categoria": "raster", "confirmar_fuera": "on"}
    codigo, html = importar(client, trabajador, datos(subida("dem.tif", srtm), **extra))
    assert codigo == 200 and "Ráster «dem» importado" in html
    # Miles con punto (USE_THOUSAND_SEPARATOR, formatos es-CL).
    assert "493 × 337 píxeles" in html and "2.849,00" in html
    assert (tmp_path / "rasters" / "dem.tif").is_file()


def test_raster_en_zip_desde_el_formulario(client, planificador, comuna, settings, tmp_path, trabajador):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(planificador)
    contenido = io.BytesIO()
    with zipfile.ZipFile(contenido, "w", zipfile.ZIP_DEFLATED) as archivo:
        archivo.write(DATOS_REALES / "srtm3_volcan_villarrica.tif", "dem.tif")
    extra = {"nombre": "dem", "categoria": "raster", "confirmar_fuera": "on"}
    codigo, html = importar(client, trabajador, datos(subida("dem.zip", contenido.getvalue()), **extra))
    assert codigo == 200 and "Ráster «dem» importado" in html
    assert CapaRaster.objects.get().archivo_origen == "dem.zip"
    assert (tmp_path / "rasters" / "dem.tif").is_file()


@pytest.mark.parametrize("metodo", ["get", "post"])
def test_consulta_recibe_403(client, consulta, metodo):
    client.force_login(consulta)
    respuesta = getattr(client, metodo)(
        URL, {"archivo": subida("c.geojson", b"{}")} if metodo == "post" else {}
    )
    assert respuesta.status_code == 403
    assert CapaReferencia.objects.count() == 0


def test_sin_sesion_redirige_al_ingreso(client, db):
    respuesta = client.get(URL)
    assert respuesta.status_code == 302 and "/ingresar/" in respuesta["Location"]


def test_el_rechazo_nombra_el_archivo_del_usuario(client, planificador, comuna, trabajador):
    client.force_login(planificador)
    codigo, html = importar(client, trabajador, datos(subida("Humedales Región/ñuble.geojson", b"[1, 2]")))
    assert codigo == 200 and "No se importó nada" in html
    assert "«ñuble.geojson» no es un GeoJSON válido" in html
    assert "subida.geojson" not in html and "datos.geojson" not in html


def test_sin_disco_para_la_subida_responde_503_en_espanol_sin_trabajo(
    client, planificador, settings, tmp_path
):
    # La carpeta de trabajos no se puede crear (un archivo ocupa su lugar): es falla del servidor.
    bloqueo = tmp_path / "no-es-carpeta"
    bloqueo.write_text("x")
    settings.CAPAS_TRABAJOS_DIR = bloqueo / "trabajos"
    client.force_login(planificador)
    archivo = SimpleUploadedFile("puntos.geojson", b'{"type": "FeatureCollection", "features": []}')
    respuesta = client.post(
        "/capas/importar/",
        {"archivo": archivo, "nombre": "puntos", "titulo": "Puntos", "categoria": "referencia"},
    )
    assert respuesta.status_code == 503 and respuesta["Retry-After"] == "60"
    assert "El servidor no pudo guardar el archivo para importarlo" in respuesta.content.decode()
    assert not Trabajo.objects.exists()
