"""OGC API – Features con un cliente real (OWSLib) contra gunicorn, y sus páginas HTML y errores."""

import json
import re

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from owslib.ogcapi.features import Features
from owslib.util import Authentication

from apps.comunas.models import Localidad
from apps.comunas.services import localidades_cargar
from apps.proyectos.models import FuenteFinanciamiento, Proyecto
from tests.conftest import usuario_de_servidor
from tests.factories import CENTRO, BienInmuebleFactory, ProyectoFactory, cuadrado

CONFORMIDAD = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
PUBLICAS = {"comunas", "localidades"}


def _siguiente(documento: dict) -> str | None:
    """Devuelve el href del enlace next, o None."""
    return next((e["href"] for e in documento["links"] if e["rel"] == "next"), None)


@pytest.mark.servidor
def test_owslib_anonimo_ve_solo_capas_publicas(servidor, comuna):
    localidades_cargar(comuna=comuna)
    BienInmuebleFactory(comuna=comuna)
    api = Features(f"{servidor}/ogcapi")
    rels = {e["rel"]: e for e in api.links}
    assert rels["data"]["href"] == f"{servidor}/ogcapi/collections"
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert {f"{CONFORMIDAD}{c}" for c in ("core", "geojson", "html", "oas30")} <= set(
        api.conformance()["conformsTo"]
    )
    assert {c["id"] for c in api.collections()["collections"]} == PUBLICAS
    assert set(api.feature_collections()) == PUBLICAS
    extension = api.collection("comunas")["extent"]["spatial"]["bbox"][0]
    assert extension == pytest.approx(comuna.limite.extent)
    assert api.api()["components"]["parameters"]["limit"]["schema"]["maximum"] == 10000

    pagina = api.collection_items("localidades", limit=2)
    assert (pagina["numberMatched"], pagina["numberReturned"]) == (3, 2)
    resto = requests.get(_siguiente(pagina), timeout=30)
    assert resto.headers["Content-Type"] == "application/geo+json"
    ultima = resto.json()
    assert ultima["numberReturned"] == 1 and _siguiente(ultima) is None
    ids = [f["id"] for f in pagina["features"] + ultima["features"]]
    assert ids == sorted(Localidad.objects.values_list("pk", flat=True))

    caja = [CENTRO[0] - 0.01, CENTRO[1] - 0.01, CENTRO[0] + 0.01, CENTRO[1] + 0.01]
    (pueblo,) = api.collection_items("localidades", bbox=caja)["features"]
    assert pueblo["properties"]["nombre"] == "Teodoro Schmidt"
    unico = api.collection_item("localidades", str(pueblo["id"]))
    assert unico["properties"] == pueblo["properties"]
    assert unico["geometry"]["coordinates"] == [list(CENTRO)]

    respuesta = requests.get(f"{servidor}/ogcapi/collections/inmuebles/items", timeout=30)
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"].startswith('Basic realm="Territorio"')
    with pytest.raises(RuntimeError):
        api.collection("inmuebles")


@pytest.mark.servidor
def test_owslib_con_basic_pagina_siguiendo_next_hasta_el_final(servidor, comuna):
    usuario_de_servidor("ana", "una-clave-larga-9")
    proyectos = [ProyectoFactory(comuna=comuna, geom=cuadrado(lado=0.0005)) for _ in range(7)]
    api = Features(f"{servidor}/ogcapi", auth=Authentication("ana", "una-clave-larga-9"))
    ids = {c["id"] for c in api.collections()["collections"]}
    assert {"proyectos-areas", "proyectos-puntos", "inmuebles", "concesiones"} <= ids

    pagina = api.collection_items("proyectos-areas", limit=3)
    vistos = [f["id"] for f in pagina["features"]]
    paginas = 1
    while url := _siguiente(pagina):
        pagina = requests.get(url, auth=("ana", "una-clave-larga-9"), timeout=30).json()
        vistos += [f["id"] for f in pagina["features"]]
        paginas += 1
        assert pagina["numberMatched"] == 7
    assert paginas == 3
    assert vistos == sorted(p.pk for p in proyectos)
    assert any(e["rel"] == "prev" for e in pagina["links"])

    elegido = proyectos[3]
    item = api.collection_item("proyectos-areas", str(elegido.pk))
    assert item["properties"]["nombre"] == elegido.nombre
    assert item["properties"]["etapa"] == "perfil"
    assert item["geometry"]["type"] == "MultiPolygon"
    assert api.collection("proyectos-areas")["extent"]["spatial"]["bbox"][0] == pytest.approx(
        [CENTRO[0], CENTRO[1], CENTRO[0] + 0.0005, CENTRO[1] + 0.0005]
    )
    equivocada = Features(f"{servidor}/ogcapi", auth=Authentication("ana", "clave-equivocada"))
    assert equivocada.response["code"] == "NoAutorizado"
    with pytest.raises(RuntimeError, match="Usuario o clave incorrectos"):
        equivocada.collections()


@pytest.mark.servidor
def test_usuario_sin_permiso_de_proyectos_no_los_ve(servidor, comuna):
    ProyectoFactory(comuna=comuna)
    inmueble = BienInmuebleFactory(comuna=comuna)
    usuario = get_user_model().objects.create(
        username="patrimonio", password=make_password("clave-de-patrimonio-3", hasher="pbkdf2_sha256")
    )
    usuario.user_permissions.add(Permission.objects.get(codename="view_bieninmueble"))
    api = Features(f"{servidor}/ogcapi", auth=Authentication("patrimonio", "clave-de-patrimonio-3"))
    assert {c["id"] for c in api.collections()["collections"]} == PUBLICAS | {"inmuebles"}
    assert [f["id"] for f in api.collection_items("inmuebles")["features"]] == [inmueble.pk]
    credencial = ("patrimonio", "clave-de-patrimonio-3")
    base = f"{servidor}/ogcapi/collections/proyectos-puntos"
    for url in (base, f"{base}/items", f"{base}/items/{Proyecto.objects.get().pk}"):
        respuesta = requests.get(url, auth=credencial, timeout=30)
        assert respuesta.status_code == 404, url
    assert (
        requests.get(f"{servidor}/tiles/proyectos-puntos/0/0/0.pbf", auth=credencial, timeout=30).status_code
        == 404
    )


@pytest.mark.parametrize("ruta", ["/ogcapi/", "/ogcapi/collections", "/ogcapi/collections/localidades/items"])
def test_head_responde_como_get_sin_cuerpo(comuna, client, ruta):
    localidades_cargar(comuna=comuna)
    completa = client.get(ruta)
    cabeza = client.head(ruta)
    assert cabeza.status_code == completa.status_code == 200
    assert cabeza.content == b""
    assert cabeza["Content-Type"] == completa["Content-Type"]


def test_html_para_navegadores(comuna, client):
    localidades_cargar(comuna=comuna)
    html = "text/html,application/xhtml+xml,*/*;q=0.8"
    inicio = client.get("/ogcapi/", HTTP_ACCEPT=html)
    assert inicio["Content-Type"].startswith("text/html")
    assert "WFS / OGC API – Features" in inicio.content.decode()
    colecciones = client.get("/ogcapi/collections", {"f": "html"}).content.decode()
    assert "Límite comunal" in colecciones and "Localidades y sectores" in colecciones
    elementos = client.get(
        "/ogcapi/collections/localidades/items", {"f": "html", "limit": 2}
    ).content.decode()
    assert "2 de 3 elementos" in elementos
    assert "Página siguiente" in elementos
    pueblo = Localidad.objects.get(nombre="Teodoro Schmidt")
    elemento = client.get(f"/ogcapi/collections/localidades/items/{pueblo.pk}", HTTP_ACCEPT=html)
    assert "Teodoro Schmidt" in elemento.content.decode() and "MultiPoint" in elemento.content.decode()
    assert (
        client.get("/ogcapi/collections", HTTP_ACCEPT="application/json")["Content-Type"]
        == "application/json"
    )


def _celdas(html: str) -> list[str]:
    """Devuelve el texto de cada celda <th>/<td> de la primera tabla de la página, en orden."""
    tabla = html.split("<table>", 1)[1].split("</table>", 1)[0]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd]>(.*?)</t[hd]>", tabla, re.S)]


def test_html_muestra_etiquetas_y_el_json_los_valores(comuna, client, planificador):
    fuente = FuenteFinanciamiento.objects.exclude(nombre="").order_by("pk").last()
    proyecto = ProyectoFactory(
        comuna=comuna, institucion="servicio_publico", etapa="ejecucion", fuente=fuente, codigo_bip="40012345"
    )
    client.force_login(planificador)
    base = "/ogcapi/collections/proyectos-puntos/items"
    ficha = _celdas(client.get(f"{base}/{proyecto.pk}", {"f": "html"}).content.decode())
    pares = dict(zip(ficha[0::2], ficha[1::2], strict=True))
    assert pares["Institución"] == "Servicio público"
    assert pares["Fuente de financiamiento"] == fuente.nombre
    assert pares["Etapa"] == "Ejecución"
    assert pares["Código BIP"] == "40012345"
    assert pares["Dato de demostración"] == "No"

    tabla = _celdas(client.get(base, {"f": "html"}).content.decode())
    encabezados = tabla[: tabla.index(str(proyecto.pk))]
    fila = dict(zip(encabezados, tabla[len(encabezados) :], strict=False))
    assert fila["Institución"] == "Servicio público"
    assert fila["Fuente de financiamiento"] == fuente.nombre
    assert "servicio_publico" not in client.get(base, {"f": "html"}).content.decode()

    # JSON (máquinas): los valores guardados, sin campos extra.
    propiedades = client.get(f"{base}/{proyecto.pk}", {"f": "json"}).json()["properties"]
    assert propiedades["institucion"] == "servicio_publico"
    assert propiedades["fuente"] == fuente.pk
    assert propiedades["etapa"] == "ejecucion"
    (item,) = json.loads(client.get(base, {"f": "json"}).content)["features"]
    assert item["properties"] == propiedades


@pytest.mark.parametrize(
    ("consulta", "mensaje"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "diez"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "99999999999999999999"}, "offset"),
        ({"bbox": "1,2"}, "bbox"),
        ({"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/4326"}, "bbox-crs"),
        ({"filtro": "x"}, "desconocidos"),
        ({"f": "xml"}, "Formato"),
    ],
)
def test_parametros_invalidos_responden_400(comuna, client, consulta, mensaje):
    respuesta = client.get("/ogcapi/collections/comunas/items", consulta)
    assert respuesta.status_code == 400
    assert mensaje in respuesta.json()["description"]


def test_limit_sobre_el_maximo_se_ajusta_y_elemento_inexistente_es_404(comuna, client):
    respuesta = client.get("/ogcapi/collections/comunas/items", {"limit": 50000})
    assert respuesta.status_code == 200
    datos = json.loads(respuesta.content)
    assert datos["numberReturned"] == 1
    assert "limit=10000" in datos["links"][0]["href"]
    for identificador in ("999999", "abc", "99999999999999999999", "²"):
        assert client.get(f"/ogcapi/collections/comunas/items/{identificador}").status_code == 404
