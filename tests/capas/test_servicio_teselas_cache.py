"""Caché de teselas por versión de capa: ninguna escritura deja una tesela vieja (ORM, SQL, importación),
por HTTP contra gunicorn con la configuración de producción; gzip y 304; el rol de la aplicación no
puede apagar los triggers de versión ni tocar las versiones."""

import gzip

import mapbox_vector_tile
import psycopg
import pytest
import requests
from django.db import connection

from apps.nucleo.roles import CONSULTA
from capas.models import CapaReferencia, ElementoReferencia
from capas.registro import registro
from capas.servicio import teselas, versiones
from capas.servicio.cache_teselas import cache
from tests.conftest import _entorno_servidor, conectar_bd, gunicorn_levantado, usuario_de_servidor
from tests.factories import CENTRO, BienInmuebleFactory, cuadrado

from .test_servicio_teselas import _tesela

Z = 12
X, Y = _tesela(*CENTRO, Z)


@pytest.fixture
def gunicorn_prod(transactional_db, estaticos, tmp_path):
    """Levanta gunicorn como ``./run serve`` (territorio/gunicorn_conf.py: gthread y keep-alive)."""
    registro_ruta = tmp_path / "gunicorn.log"
    with gunicorn_levantado(_entorno_servidor(estaticos), registro_ruta) as url:
        yield url
    assert "gthread" in registro_ruta.read_text()


def _capa_importada(nombre="cache-prueba", **atributos):
    capa = CapaReferencia.objects.create(
        nombre=nombre,
        titulo="Capa de prueba de la caché",
        categoria="inundacion",
        tipo_geometria="MultiPolygon",
        campos=[{"nombre": "nombre", "tipo": "texto"}],
        srid_origen=4326,
        archivo_origen="prueba",
        formato="generado",
        publica=True,
    )
    ElementoReferencia.objects.create(capa=capa, fid=1, geom=cuadrado(), atributos={"nombre": "Antes"})
    return capa


def _nombres(contenido: bytes, capa: str) -> list[str]:
    return [f["properties"].get("nombre") for f in mapbox_vector_tile.decode(contenido)[capa]["features"]]


def test_los_triggers_quedan_en_las_tablas_de_las_capas_registradas(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'capas_version%%' AND t.tgenabled = 'O'"
        )
        instalados = {}
        for tabla, trigger in cursor.fetchall():
            instalados.setdefault(tabla, set()).add(trigger)
    assert instalados["capas_elementoreferencia"] == {"capas_version_i", "capas_version_u", "capas_version_d",
                                                      "capas_version_t"}  # fmt: skip
    inmuebles = versiones.clave(registro.obtener("inmuebles", todas=True))[0]
    assert instalados[inmuebles] == {"capas_version_iud", "capas_version_t"}
    assert set(versiones.tablas_registradas()) <= set(instalados)


def test_la_version_es_por_capa_en_la_tabla_compartida(comuna):
    una = _capa_importada("cache-una")
    otra = _capa_importada("cache-otra")
    capa_una, capa_otra = (registro.obtener(c.nombre, todas=True) for c in (una, otra))
    antes = versiones.version(capa_una), versiones.version(capa_otra)
    ElementoReferencia.objects.filter(capa=una).update(atributos={"nombre": "Después"})
    assert versiones.version(capa_una) == antes[0] + 1
    assert versiones.version(capa_otra) == antes[1]
    # Una sentencia que no toca filas no cambia nada; un UPDATE que cambia de capa, a ambas.
    ElementoReferencia.objects.filter(capa=una, fid=999).delete()
    assert versiones.version(capa_una) == antes[0] + 1
    ElementoReferencia.objects.filter(capa=una).update(capa=otra, fid=2)
    assert (versiones.version(capa_una), versiones.version(capa_otra)) == (antes[0] + 2, antes[1] + 1)


def test_edicion_por_orm_invalida_la_tesela_guardada(comuna, client):
    capa = _capa_importada()
    ruta = f"/tiles/{capa.nombre}/{Z}/{X}/{Y}.pbf"
    cache.vaciar()
    primera = client.get(ruta)
    assert _nombres(primera.content, capa.nombre) == ["Antes"]
    clave = teselas.sql_tesela(registro.obtener(capa.nombre, todas=True), Z, X, Y)
    guardada = cache.obtener(clave)
    assert guardada is not None and guardada.contenido == primera.content
    # Tibia: la misma entrada, sin volver a armarla.
    assert client.get(ruta).content == primera.content
    assert cache.obtener(clave) is guardada
    elemento = ElementoReferencia.objects.get(capa=capa)
    elemento.atributos = {"nombre": "Después"}
    elemento.save()
    segunda = client.get(ruta)
    assert _nombres(segunda.content, capa.nombre) == ["Después"]
    assert cache.obtener(clave).version == guardada.version + 1


@pytest.mark.servidor
def test_por_http_ninguna_escritura_deja_tesela_vieja(gunicorn_prod, comuna):
    """ORM, SQL directo con el rol de la aplicación, borrado y TRUNCATE: la tesela siguiente es la nueva,
    pedida por la misma conexión keep-alive a gunicorn con la configuración de producción."""
    capa = _capa_importada()
    url = f"{gunicorn_prod}/tiles/{capa.nombre}/{Z}/{X}/{Y}.pbf"
    sesion = requests.Session()
    assert _nombres(sesion.get(url, timeout=10).content, capa.nombre) == ["Antes"]
    assert _nombres(sesion.get(url, timeout=10).content, capa.nombre) == ["Antes"]  # tibia

    ElementoReferencia.objects.filter(capa=capa).update(atributos={"nombre": "Por el ORM"})
    assert _nombres(sesion.get(url, timeout=10).content, capa.nombre) == ["Por el ORM"]

    with conectar_bd() as app:
        app.execute(
            'UPDATE capas_elementoreferencia SET atributos = \'{"nombre": "Por SQL"}\' WHERE capa_id = %s',
            [capa.pk],
        )
        app.execute(
            "INSERT INTO capas_elementoreferencia (capa_id, fid, geom, atributos) "
            "SELECT capa_id, 2, geom, jsonb_build_object('nombre', 'Nuevo') "
            "FROM capas_elementoreferencia WHERE capa_id = %s",
            [capa.pk],
        )
    assert sorted(_nombres(sesion.get(url, timeout=10).content, capa.nombre)) == ["Nuevo", "Por SQL"]

    with conectar_bd() as app:
        app.execute("DELETE FROM capas_elementoreferencia WHERE capa_id = %s AND fid = 1", [capa.pk])
    assert _nombres(sesion.get(url, timeout=10).content, capa.nombre) == ["Nuevo"]

    with connection.cursor() as cursor:  # el dueño (una restauración, p. ej.)
        cursor.execute("TRUNCATE capas_elementoreferencia")
    assert sesion.get(url, timeout=10).status_code == 204


@pytest.mark.servidor
def test_por_http_capa_de_dominio_editada_por_orm(gunicorn_prod, comuna):
    inmueble = BienInmuebleFactory(comuna=comuna, geom=cuadrado(), nombre="Escuela vieja")
    usuario_de_servidor("lectora", "clave-de-la-lectora-7", rol=CONSULTA)
    sesion = requests.Session()
    sesion.auth = ("lectora", "clave-de-la-lectora-7")
    url = f"{gunicorn_prod}/tiles/inmuebles/{Z}/{X}/{Y}.pbf"
    for _ in range(2):
        assert _nombres(sesion.get(url, timeout=10).content, "inmuebles") == ["Escuela vieja"]
    inmueble.nombre = "Escuela nueva"
    inmueble.save()
    assert _nombres(sesion.get(url, timeout=10).content, "inmuebles") == ["Escuela nueva"]


def test_gzip_si_el_cliente_lo_acepta_y_304_por_codificacion(comuna, client):
    capa = _capa_importada()
    for fid in range(2, 60):  # pasa de GZIP_MINIMO
        ElementoReferencia.objects.create(
            capa=capa, fid=fid, geom=cuadrado(lado=0.0005 + fid * 1e-5), atributos={"nombre": f"Zona {fid}"}
        )
    ruta = f"/tiles/{capa.nombre}/{Z}/{X}/{Y}.pbf"
    plano = client.get(ruta)
    assert len(plano.content) >= teselas.GZIP_MINIMO and "Content-Encoding" not in plano
    cache.vaciar()
    # La primera petición de la tesela (caché fría) no paga la compresión; desde la segunda, gzip.
    assert "Content-Encoding" not in client.get(ruta, HTTP_ACCEPT_ENCODING="gzip, deflate")
    comprimido = client.get(ruta, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert comprimido["Content-Encoding"] == "gzip" and "Accept-Encoding" in comprimido["Vary"]
    assert gzip.decompress(comprimido.content) == plano.content
    assert len(comprimido.content) < len(plano.content)
    assert comprimido["ETag"] != plano["ETag"]
    no_cambio = client.get(ruta, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=comprimido["ETag"])
    assert no_cambio.status_code == 304 and no_cambio["ETag"] == comprimido["ETag"]
    assert client.get(ruta, HTTP_IF_NONE_MATCH=plano["ETag"]).status_code == 304
    # Tras una escritura el ETag viejo ya no vale.
    ElementoReferencia.objects.filter(capa=capa, fid=2).delete()
    assert client.get(ruta, HTTP_IF_NONE_MATCH=plano["ETag"]).status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "sentencia",
    [
        "ALTER TABLE capas_elementoreferencia DISABLE TRIGGER capas_version_u",
        "ALTER TABLE capas_elementoreferencia DISABLE TRIGGER ALL",
        "DROP TRIGGER capas_version_u ON capas_elementoreferencia",
        "SET session_replication_role = replica",
        "UPDATE capas_version.version SET version = 0",
        "SELECT capas_version.subir('capas_elementoreferencia', ARRAY[1::bigint])",
        "SELECT capas_version.instalar('capas_elementoreferencia', false)",
        "CREATE OR REPLACE FUNCTION capas_version.trigger_capas() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RETURN NULL; END $$",
    ],
)
def test_el_rol_de_la_aplicacion_no_puede_apagar_ni_tocar_las_versiones(sentencia):
    with conectar_bd() as app, pytest.raises(psycopg.errors.InsufficientPrivilege):
        app.execute(sentencia)


@pytest.mark.django_db(transaction=True)
def test_el_rol_de_la_aplicacion_lee_la_version(comuna):
    capa = _capa_importada()
    with conectar_bd() as app:
        version = app.execute("SELECT public.capas_version_de('capas_elementoreferencia', %s)", [capa.pk])
        assert version.fetchone()[0] == versiones.version(registro.obtener(capa.nombre, todas=True))


@pytest.mark.django_db(transaction=True)
def test_sin_select_1_previo_una_conexion_muerta_se_reabre(comuna, client):
    """La tesela omite la verificación de CONN_HEALTH_CHECKS; si la conexión persistente murió (la base
    se reinició, un corte), la cierra y reintenta con una nueva: la tesela sale igual."""
    capa = _capa_importada()
    ruta = f"/tiles/{capa.nombre}/{Z}/{X}/{Y}.pbf"
    assert _nombres(client.get(ruta).content, capa.nombre) == ["Antes"]
    pid = connection.connection.info.backend_pid
    with conectar_bd({"USER": connection.settings_dict["USER"]}) as otra:
        otra.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])  # espera a que termine
    respuesta = client.get(ruta)
    assert respuesta.status_code == 200 and _nombres(respuesta.content, capa.nombre) == ["Antes"]
    assert connection.connection.info.backend_pid != pid
