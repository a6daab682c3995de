"""Mapas base configurados por un administrador y capas de contexto de todo mapa chico."""

import folium
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from capas.mapas.base import capas_de_contexto, capas_folium, mapa_chico, mapas_base
from capas.mapas.models import MapaBase, motivo_url
from capas.models import CapaReferencia
from capas.registro import registro

XYZ = "https://teselas.example.cl/{z}/{x}/{y}.png"
WMS = "https://www.ide.cl/geoserver/wms"


def _mapa(**campos) -> MapaBase:
    datos = {"nombre": "ide", "titulo": "IDE Chile", "tipo": "xyz", "url": XYZ} | campos
    return MapaBase(**datos)


@pytest.mark.parametrize(
    ("tipo", "url", "fragmento"),
    [
        ("xyz", "https://teselas.example.cl/{z}/{x}.png", "falta {y}"),
        ("xyz", "ftp://teselas.example.cl/{z}/{x}/{y}.png", "http:// o https://"),
        ("xyz", "javascript:alert(1)//{z}/{x}/{y}", "http:// o https://"),
        ("xyz", "https:///{z}/{x}/{y}.png", "nombre de servidor"),
        ("xyz", "https://a.cl/{z}/{x}/{y}.png?k={clave}", "marcador desconocido en la URL: {clave}"),
        ("xyz", 'https://a.cl/{z}/{x}/{y}.png"><script>', "comillas"),
        ("xyz", "https://a.cl:99999/{z}/{x}/{y}.png", "puerto"),
        ("wms", "https://www.ide.cl/wms/{z}", "no lleva marcadores"),
        ("wms", "www.ide.cl/wms", "http:// o https://"),
    ],
)
def test_url_mal_formada_se_rechaza_con_el_motivo(tipo, url, fragmento):
    assert fragmento in motivo_url(url, tipo)


@pytest.mark.parametrize(
    ("tipo", "url"),
    [
        ("xyz", XYZ),
        ("xyz", "https://{s}.tile.example.org/{z}/{x}/{y}.png"),
        ("xyz", "http://127.0.0.1:8080/tms/{z}/{x}/{-y}.png"),
        ("wms", WMS),
        ("wms", "https://www.ide.cl/wms?map=/mapas/base.map"),
    ],
)
def test_url_bien_formada_se_acepta(tipo, url):
    assert motivo_url(url, tipo) is None


def test_clean_pide_capas_al_wms_y_atribucion_sin_html(db):
    with pytest.raises(ValidationError) as error:
        _mapa(tipo="wms", url=WMS, capas="", atribucion="<b>IDE</b>").full_clean()
    assert set(error.value.message_dict) == {"capas", "atribucion"}
    with pytest.raises(ValidationError) as error:
        _mapa(tipo="wms", url=WMS, capas="capa uno;drop").full_clean()
    assert "capas" in error.value.message_dict
    mapa = _mapa(tipo="wms", url=f"  {WMS} ", capas="ide:limites, ide:rios")
    mapa.full_clean()
    assert (mapa.url, mapa.capas) == (WMS, "ide:limites,ide:rios")


@pytest.mark.django_db(transaction=True)
def test_la_base_rechaza_lo_que_el_formulario_rechaza():
    for campos in (
        {"url": "javascript:alert(1)"},
        {"tipo": "wms", "url": WMS, "capas": ""},
        {"atribucion": "<img src=x onerror=alert(1)>"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            _mapa(**campos).save()
    _mapa(nombre="a", por_omision=True).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _mapa(nombre="b", por_omision=True).save()
    assert list(MapaBase.objects.values_list("nombre", flat=True)) == ["a"]


def test_mapas_base_da_solo_los_activos_en_orden_con_el_contrato(db):
    assert mapas_base() == []
    _mapa(nombre="osm", titulo="Calles", orden=2, atribucion="© OpenStreetMap").save()
    _mapa(
        nombre="ide",
        titulo="IDE Chile",
        tipo="wms",
        url=WMS,
        capas="ide:limites",
        formato="image/jpeg",
        transparente=True,
        orden=1,
        por_omision=True,
    ).save()
    _mapa(nombre="viejo", titulo="Viejo", activo=False).save()
    assert mapas_base() == [
        {
            "nombre": "ide",
            "titulo": "IDE Chile",
            "tipo": "wms",
            "url": WMS,
            "capas": "ide:limites",
            "formato": "image/jpeg",
            "transparente": True,
            "atribucion": "",
            "por_omision": True,
        },
        {
            "nombre": "osm",
            "titulo": "Calles",
            "tipo": "xyz",
            "url": XYZ,
            "capas": "",
            "formato": "image/png",
            "transparente": False,
            "atribucion": "© OpenStreetMap",
            "por_omision": False,
        },
    ]


def test_contexto_es_comuna_localidades_y_las_capas_marcadas(datos, planificador, client):
    assert capas_de_contexto() == ["comunas", "localidades"]
    CapaReferencia.objects.filter(nombre=datos.capa_ine.nombre).update(de_contexto=True)
    assert capas_de_contexto() == ["comunas", "localidades", datos.capa_ine.nombre]
    registro_ine = registro.obtener(datos.capa_ine.nombre, todas=True)
    # Anónimo: solo lo público (la capa importada no lo es); el planificador la ve con su estilo.
    assert [c["nombre"] for c in mapa_chico(None)["contexto"]] == ["comunas", "localidades"]
    client.force_login(planificador)
    respuesta = client.get("/capas/referencia/mapa-chico.json")
    assert respuesta.status_code == 200
    contexto = respuesta.json()["contexto"]
    assert [c["nombre"] for c in contexto] == ["comunas", "localidades", datos.capa_ine.nombre]
    assert contexto[2]["estilo"] == registro_ine.estilo.leaflet()
    assert contexto[2]["geojson"] == f"/capas/{datos.capa_ine.nombre}.geojson"
    assert respuesta.json()["mapas_base"] == []


def test_admin_crea_un_mapa_base_y_rechaza_una_url_sin_plantilla(admin_client, db):
    url_alta = "/admin/capas/mapabase/add/"
    campos = {
        "titulo": "Calles",
        "nombre": "calles",
        "tipo": "xyz",
        "url": "https://teselas.example.cl/{z}/{x}.png",
        "formato": "image/png",
        "orden": "0",
        "activo": "on",
    }
    respuesta = admin_client.post(url_alta, campos)
    assert respuesta.status_code == 200
    assert "debe tener los marcadores {z}, {x} e {y}" in respuesta.content.decode()
    assert not MapaBase.objects.exists()
    respuesta = admin_client.post(url_alta, campos | {"url": XYZ})
    assert respuesta.status_code == 302
    assert MapaBase.objects.get().url == XYZ


def test_planificador_no_configura_mapas_base(planificador, client):
    client.force_login(planificador)
    assert client.get("/admin/capas/mapabase/add/").status_code == 403


def test_folium_dibuja_los_mapas_base_configurados_y_nada_externo_sin_ellos(db):
    vacio = folium.Map(tiles=None)
    for capa in capas_folium():
        capa.add_to(vacio)
    html_vacio = vacio.get_root().render()
    assert "L.tileLayer" not in html_vacio and "://" not in html_vacio

    _mapa(nombre="calles", titulo="Calles", atribucion="© Calles & Cía").save()
    _mapa(nombre="ide", titulo="IDE", tipo="wms", url=WMS, capas="ide:limites", por_omision=True).save()
    mapa = folium.Map(tiles=None)
    capas = capas_folium()
    for capa in capas:
        capa.add_to(mapa)
    html = mapa.get_root().render()
    assert [type(c).__name__ for c in capas] == ["TileLayer", "WmsTileLayer"]
    assert [c.layer_name for c in capas] == ["Calles", "IDE"]
    assert [c.show for c in capas] == [False, True]
    assert XYZ in html and f"L.tileLayer.wms(\n                {WMS!r}".replace("'", '"') in html
    assert '"layers": "ide:limites"' in html
    # Escapada una vez («&amp;», que folium escribe en JSON como \u0026amp;): Leaflet la pone como HTML.
    assert '"attribution": "\\u00a9 Calles \\u0026amp; C\\u00eda"' in html
