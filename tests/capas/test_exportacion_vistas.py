"""Descargas desde la interfaz y permisos por capa (vista y servicio)."""

import zipfile

import pyogrio
import pytest

from capas.exportacion.servicios import exportar
from capas.registro import CapaNoEncontrada
from tests.capas.test_exportacion_datos import CAPA_INE

PUBLICAS = ["comunas", "localidades"]


@pytest.fixture
def vecino(django_user_model):
    """Devuelve un usuario con sesión pero sin ningún rol (solo ve las capas públicas)."""
    return django_user_model.objects.create_user(username="vecino", password="clave-de-prueba-1")


def _descargar(client, url, destino):
    """Pide el archivo, lo guarda en ``destino`` y devuelve la respuesta."""
    respuesta = client.get(url)
    if respuesta.status_code == 200:
        destino.write_bytes(b"".join(respuesta.streaming_content))
    return respuesta


def test_pagina_muestra_botones_por_capa_y_para_todas(datos, consulta, client):
    client.force_login(consulta)
    respuesta = client.get("/capas/exportar/")
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "Bienes inmuebles municipales" in html
    assert "Límites urbanos INE 2017 (Araucanía)" in html
    assert 'href="/capas/exportar/gpkg/?capas=inmuebles"' in html
    assert 'href="/capas/exportar/qgis/"' in html
    assert f'href="/capas/exportar/shp/?capas={CAPA_INE}"' in html
    filas = {f["capa"].nombre: f["elementos"] for f in respuesta.context["filas"]}
    assert filas["inmuebles"] == 6 and filas[CAPA_INE] == 52


def test_descarga_gpkg_de_una_capa(datos, consulta, client, tmp_path):
    client.force_login(consulta)
    respuesta = _descargar(client, "/capas/exportar/gpkg/?capas=inmuebles", tmp_path / "x.gpkg")
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/geopackage+sqlite3"
    assert respuesta["Content-Disposition"] == 'attachment; filename="inmuebles.gpkg"'
    assert sorted(dict(pyogrio.list_layers(tmp_path / "x.gpkg"))) == ["inmuebles", "layer_styles"]
    assert pyogrio.read_info(tmp_path / "x.gpkg", layer="inmuebles")["features"] == 6


def test_seleccion_de_varias_capas_descarga_un_solo_gpkg(datos, consulta, client, tmp_path):
    client.force_login(consulta)
    seleccion = client.get(
        "/capas/exportar/seleccion/", {"formato": "gpkg", "capas": ["inmuebles", CAPA_INE]}
    )
    assert seleccion.status_code == 302
    respuesta = _descargar(client, seleccion["Location"], tmp_path / "s.gpkg")
    assert respuesta.status_code == 200
    assert sorted(dict(pyogrio.list_layers(tmp_path / "s.gpkg"))) == sorted(
        [CAPA_INE, "inmuebles", "layer_styles"]
    )
    assert client.get("/capas/exportar/seleccion/", {"formato": "xls"}).status_code == 404


def test_descarga_de_todas_las_capas_en_proyecto_qgis(datos, consulta, client, tmp_path):
    client.force_login(consulta)
    respuesta = _descargar(client, "/capas/exportar/qgis/", tmp_path / "p.qgz")
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/zip"
    assert respuesta["Content-Disposition"].startswith('attachment; filename="territorio-capas-')
    assert respuesta["Content-Disposition"].endswith('.qgz"')
    gpkg = respuesta.filename.removesuffix(".qgz") + ".gpkg"
    with zipfile.ZipFile(tmp_path / "p.qgz") as archivo:
        archivo.extract(gpkg, tmp_path)
    capas = dict(pyogrio.list_layers(tmp_path / gpkg))
    assert set(capas) - {"layer_styles"} == {c.nombre for c in datos.capas}


def test_usuario_sin_permiso_no_descarga_la_capa(datos, vecino, client, tmp_path):
    client.force_login(vecino)
    respuesta = _descargar(client, "/capas/exportar/gpkg/?capas=comunas,inmuebles", tmp_path / "x.gpkg")
    assert respuesta.status_code == 404
    assert not (tmp_path / "x.gpkg").exists()
    # Sin indicar capas recibe solo las públicas.
    respuesta = _descargar(client, "/capas/exportar/gpkg/", tmp_path / "todas.gpkg")
    assert respuesta.status_code == 200
    assert set(dict(pyogrio.list_layers(tmp_path / "todas.gpkg"))) == {*PUBLICAS, "layer_styles"}
    pagina = client.get("/capas/exportar/")
    assert sorted(f["capa"].nombre for f in pagina.context["filas"]) == PUBLICAS
    assert "Bienes inmuebles" not in pagina.content.decode()


def test_servicio_aplica_los_permisos_del_usuario(datos, vecino, consulta, tmp_path):
    with pytest.raises(CapaNoEncontrada, match="No existe la capa «inmuebles»"):
        exportar(capas=["inmuebles"], formato="csv", salida=tmp_path, usuario=vecino)
    with pytest.raises(CapaNoEncontrada):
        exportar(capas=[CAPA_INE], formato="gpkg", salida=tmp_path, usuario=None)
    assert list(tmp_path.iterdir()) == []
    publicas = exportar(capas=None, formato="gpkg", salida=tmp_path / "a.gpkg", usuario=None)
    assert sorted(publicas.elementos) == PUBLICAS
    todas = exportar(capas=None, formato="gpkg", salida=tmp_path / "b.gpkg", usuario=consulta)
    assert set(todas.elementos) == {c.nombre for c in datos.capas}


def test_sin_sesion_redirige_al_ingreso(datos, client):
    respuesta = client.get("/capas/exportar/gpkg/?capas=comunas")
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith("/ingresar/")


def test_formato_desconocido_es_404(datos, consulta, client):
    client.force_login(consulta)
    respuesta = client.get("/capas/exportar/xls/?capas=comunas")
    assert respuesta.status_code == 404
