"""Entregas raras o manipuladas: zip cifrado o mentiroso, mayúsculas, .prj por URL, crs escondido."""

import json
import struct
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from capas.importacion.informe import ImportacionRechazada
from capas.importacion.lectores import normalizar_nombres
from capas.importacion.seguridad import extraer_zip
from capas.importacion.vectorial import capa_importar
from capas.models import CapaReferencia
from tests.capas.test_importacion_seguridad import (
    PUNTO,
    URL_PRJ,
    geojson,
    hacer_zip,
    rechazo,
    shapefile_de_comunas,
)
from tests.capas.test_importacion_seguridad import sin_rastros as sin_rastros  # noqa: F401 (fixture)
from tests.conftest import COMUNAS_R09, DATOS_REALES


def _parchar(ruta: Path, firma: bytes, desplazamiento: int, formato: str, valor) -> None:
    """Escribe ``valor`` (struct ``formato``) en cada cabecera con ``firma`` del zip."""
    datos = bytearray(ruta.read_bytes())
    inicio = datos.find(firma)
    assert inicio >= 0
    while inicio >= 0:
        struct.pack_into(formato, datos, inicio + desplazamiento, valor)
        inicio = datos.find(firma, inicio + 4)
    ruta.write_bytes(bytes(datos))


def test_zip_con_entrada_cifrada_se_rechaza_en_espanol(tmp_path, sin_rastros):
    ruta = hacer_zip(tmp_path / "cifrado.zip", {"datos.geojson": geojson()}, metodo=zipfile.ZIP_STORED)
    # Bit 0 del campo de banderas: en la cabecera local (desplazamiento 6) y en la central (8).
    _parchar(ruta, b"PK\x03\x04", 6, "<H", 0x1)
    _parchar(ruta, b"PK\x01\x02", 8, "<H", 0x1)
    with zipfile.ZipFile(ruta) as archivo:
        assert archivo.infolist()[0].flag_bits & 0x1
    error = rechazo(ruta)
    assert error.codigo == "zip_cifrado"
    assert error.mensaje == (
        "La entrada «datos.geojson» del zip está cifrada (con contraseña); suba un zip sin contraseña."
    )


def test_zip_con_crc_incorrecto_se_rechaza(tmp_path, sin_rastros):
    contenido = geojson()
    ruta = hacer_zip(tmp_path / "crc.zip", {"datos.geojson": contenido}, metodo=zipfile.ZIP_STORED)
    datos = bytearray(ruta.read_bytes())
    posicion = datos.find(contenido) + contenido.find(b"FeatureCollection")
    datos[posicion] = ord("X")
    ruta.write_bytes(bytes(datos))
    error = rechazo(ruta)
    assert error.codigo == "zip"
    assert error.mensaje.startswith("La entrada «datos.geojson» del zip está dañada")
    assert "CRC-32" not in error.mensaje and "Bad" not in error.mensaje


@pytest.mark.parametrize("diferencia", [500, -10])
def test_zip_que_miente_sobre_su_tamano_se_rechaza(tmp_path, diferencia):
    contenido = geojson()
    ruta = hacer_zip(tmp_path / "miente.zip", {"datos.geojson": contenido})
    # Tamaño descomprimido: desplazamiento 22 en la cabecera local, 24 en la central.
    _parchar(ruta, b"PK\x03\x04", 22, "<I", len(contenido) + diferencia)
    _parchar(ruta, b"PK\x01\x02", 24, "<I", len(contenido) + diferencia)
    with pytest.raises(ImportacionRechazada) as error:
        extraer_zip(ruta, tmp_path / "destino")
    assert error.value.codigo == "zip"
    assert "datos.geojson" in error.value.mensaje
    assert ("no tiene el tamaño que declara" in error.value.mensaje) or ("está dañada" in error.value.mensaje)


def _zip_en_mayusculas(tmp_path: Path, prj: str | None = None) -> Path:
    """Devuelve un zip con COMUNAS.SHP/.SHX/.DBF/.PRJ (nombres en mayúsculas, como en Windows)."""
    shp = shapefile_de_comunas(tmp_path / "shp", "comunas")
    if prj is not None:
        shp.with_suffix(".prj").write_text(prj)
    ruta = tmp_path / "COMUNAS.zip"
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as archivo:
        for parte in sorted(shp.parent.iterdir()):
            archivo.write(parte, f"COMUNAS{parte.suffix.upper()}")
    return ruta


def test_shapefile_zip_en_mayusculas_se_importa(tmp_path, comuna):
    ruta = _zip_en_mayusculas(tmp_path)
    with zipfile.ZipFile(ruta) as archivo:
        assert {"COMUNAS.SHP", "COMUNAS.SHX", "COMUNAS.DBF", "COMUNAS.PRJ"} <= set(archivo.namelist())
    capa = capa_importar(
        ruta=ruta, nombre="comunas-mayus", titulo="Comunas", categoria="referencia", confirmar_fuera=True
    )
    assert (capa.n_elementos, capa.srid_origen, capa.formato) == (2, 4674, "ESRI Shapefile")
    assert capa.elementos.count() == 2
    assert "NOM_COMUNA" in {c["nombre"] for c in capa.campos}


def test_prj_en_mayusculas_con_url_se_rechaza(tmp_path, sin_rastros):
    error = rechazo(_zip_en_mayusculas(tmp_path, prj=URL_PRJ))
    assert error.codigo == "crs_url"
    assert "«COMUNAS.PRJ» declara el sistema de coordenadas con una URL" in error.mensaje


def test_prj_con_url_junto_a_un_csv_se_rechaza(tmp_path, sin_rastros):
    csv = b'wkt,nombre\n"POINT (-73.09 -38.99)",Barros Arana\n'
    ruta = hacer_zip(tmp_path / "csv.zip", {"puntos.csv": csv, "puntos.prj": URL_PRJ.encode()})
    error = rechazo(ruta)
    assert error.codigo == "crs_url"
    assert "«puntos.prj»" in error.mensaje


def _crs_link() -> bytes:
    """Devuelve un miembro crs por enlace (GDAL lo descargaría) serializado como JSON."""
    return json.dumps(
        {"type": "link", "properties": {"href": "http://127.0.0.1:9/crs.wkt", "type": "ogcwkt"}}
    ).encode()


@pytest.mark.parametrize(
    "documento",
    [
        b'{"type": "FeatureCollection", "\\u0063rs": ' + _crs_link() + b', "features": []}',
        b'{"type": "FeatureCollection", "CRS": ' + _crs_link() + b', "features": []}',
        b'{"type": "FeatureCollection", "features": [], "crs":'
        + b" " * (1024 * 1024 + 100)
        + _crs_link()
        + b"}",
        b"\xef\xbb\xbf" + b" " * (1024 * 1024 + 100) + b'{"crs": ' + _crs_link() + b', "features": []}',
    ],
    ids=["escape-unicode", "mayusculas", "espacio-antes-del-objeto", "bom-y-espacio-inicial"],
)
def test_crs_escondido_se_rechaza(tmp_path, sin_rastros, documento):
    ruta = tmp_path / "escondido.geojson"
    ruta.write_bytes(documento)
    error = rechazo(ruta)
    assert error.codigo == "crs_url" and "no se aceptan CRS por URL" in error.mensaje


def test_crs_por_codigo_con_escape_se_acepta(tmp_path, comuna):
    datos = json.loads(geojson())
    texto = json.dumps(datos)[:-1] + ', "\\u0063rs": {"type": "name", "properties": {"name": "EPSG:4326"}}}'
    ruta = tmp_path / "codigo.geojson"
    ruta.write_text(texto)
    capa = capa_importar(ruta=ruta, nombre="punto", titulo="Punto", categoria="referencia")
    assert (capa.n_elementos, capa.srid_origen) == (1, 4326)


@pytest.mark.parametrize(
    "documento", [b'{"type": "FeatureCollection", "features": [', b"[1, 2]", b'{"a": 1} x']
)
def test_json_invalido_se_rechaza_en_espanol(tmp_path, sin_rastros, documento):
    ruta = tmp_path / "roto.geojson"
    ruta.write_bytes(documento)
    error = rechazo(ruta)
    assert error.codigo == "contenido"
    assert "no es un GeoJSON válido: " in error.mensaje
    assert "error" not in error.mensaje.lower()


def test_gdal_no_agrega_texto_en_ingles(tmp_path, sin_rastros):
    gpkg = tmp_path / "roto.gpkg"
    cabecera = bytearray(b"SQLite format 3\x00" + b"\x00" * 4080)
    cabecera[68:72] = b"GPKG"
    gpkg.write_bytes(bytes(cabecera) + b"basura" * 100)
    error = rechazo(gpkg)
    assert error.codigo == "lectura"
    assert error.mensaje == "GDAL no pudo abrir el archivo: está dañado o no es del formato que indica."


def test_nombres_de_campo_se_normalizan():
    assert normalizar_nombres(["", " Nombre ", "nombre", "fid", "GEOM", "Región ñandú", "ID", "id_attr"]) == [
        "campo_1",
        "Nombre",
        "nombre_2",
        "fid_attr",
        "GEOM_attr",
        "Región ñandú",
        "ID_attr",
        "id_attr_2",
    ]


def test_campos_vacios_repetidos_y_reservados_se_renombran_con_informe(tmp_path, comuna):
    propiedades = {"": "vacío", " Nombre ": "a", "nombre": "b", "fid": 7, "GEOM": "g", "Región ñandú": "z"}
    ruta = tmp_path / "campos.geojson"
    ruta.write_text(
        json.dumps({"type": "FeatureCollection", "features": [{**PUNTO, "properties": propiedades}]})
    )
    capa = capa_importar(ruta=ruta, nombre="campos", titulo="Campos", categoria="referencia")
    nombres = [c["nombre"] for c in capa.campos]
    assert nombres == ["campo_1", "Nombre", "nombre_2", "fid_attr", "GEOM_attr", "Región ñandú"]
    assert capa.elementos.get().atributos == {
        "campo_1": "vacío",
        "Nombre": "a",
        "nombre_2": "b",
        "fid_attr": 7,
        "GEOM_attr": "g",
        "Región ñandú": "z",
    }
    assert capa.informe["campos_renombrados"] == [
        {"original": "", "nombre": "campo_1"},
        {"original": " Nombre ", "nombre": "Nombre"},
        {"original": "nombre", "nombre": "nombre_2"},
        {"original": "fid", "nombre": "fid_attr"},
        {"original": "GEOM", "nombre": "GEOM_attr"},
    ]
    assert "El campo «fid» se importó como «fid_attr»." in capa.informe["avisos"]


def test_orden_con_categoria_invalida_responde_en_espanol(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("capas_importar", str(COMUNAS_R09), "--categoria", "inexistente", stdout=StringIO())
    mensaje = str(error.value)
    assert mensaje.startswith("Categoría «inexistente» no válida. Use una de: ")
    assert "referencia" in mensaje and "invalid choice" not in mensaje


@pytest.mark.django_db(transaction=True)  # la orden importa en un proceso hijo
def test_orden_con_falla_de_disco_termina_en_commanderror(tmp_path, settings, comuna):
    # MEDIA_ROOT es un archivo: crear rasters/ debajo falla con NotADirectoryError (OSError).
    settings.MEDIA_ROOT = tmp_path / "no-es-directorio"
    settings.MEDIA_ROOT.write_text("x")

    tif = DATOS_REALES / "srtm3_volcan_villarrica.tif"
    with pytest.raises(CommandError) as error:
        call_command(
            "capas_importar", str(tif), "--nombre", "dem", "--confirmar-fuera", stdout=StringIO(), verbosity=0
        )
    assert str(error.value).startswith(
        "No se importó nada. No se pudo leer o escribir «srtm3_volcan_villarrica.tif»"
    )
    assert CapaReferencia.objects.count() == 0


def test_el_rechazo_nombra_el_archivo_y_no_la_copia(tmp_path, sin_rastros):
    ruta = tmp_path / "Áreas de riesgo (2024).geojson"
    ruta.write_bytes(b"[1, 2]")
    assert rechazo(ruta).mensaje.startswith("«Áreas de riesgo (2024).geojson» no es un GeoJSON válido")
