"""Escrituras de la API: por los servicios, con versión, 409 con el registro actual y auditoría."""

import pytest

from apps.proyectos.models import Proyecto
from tests.api.conftest import cuadrado

pytestmark = pytest.mark.django_db

PROYECTO = {
    "nombre": "Pavimentación calle Los Aromos",
    "tipologia": "proyecto",
    "etapa": "diseno",
    "institucion": "municipal",
    "monto_solicitado": 150_000_000,
}


def _punto(centro):
    return {"type": "Point", "coordinates": [centro.x, centro.y]}


def test_crear_proyecto_con_monto_y_geometria(api_planificador, comuna, centro, planificador):
    respuesta = api_planificador.enviar("post", "/api/proyectos/", {**PROYECTO, "geometry": _punto(centro)})
    assert respuesta.status_code == 201, respuesta.content
    creado = respuesta.json()
    assert creado["monto_solicitado"] == 150_000_000 and creado["version"] == 1
    assert creado["geometry"]["coordinates"] == pytest.approx([centro.x, centro.y], abs=1e-6)
    proyecto = Proyecto.objects.get(pk=creado["id"])
    assert proyecto.comuna == comuna and proyecto.geom.equals_exact(centro, 1e-7)
    evento = proyecto.events.select_related("pgh_context").get()
    assert evento.pgh_label == "alta"
    assert evento.pgh_context.metadata["user"] == planificador.pk
    assert evento.pgh_context.metadata["origen"] == "api"


def test_actualizar_con_version_correcta_y_conflicto_con_version_vieja(
    api_planificador, registros, centro, planificador
):
    proyecto = registros["proyectos"][0]
    url = f"/api/proyectos/{proyecto.pk}/"
    leida = api_planificador.leer(url)
    actual = leida.json()
    assert actual["version"] == 1 and leida["ETag"] == '"1"'
    cambio = api_planificador.enviar("patch", url, {"etapa": "ejecucion", "version": 1})
    assert cambio.status_code == 200, cambio.content
    assert cambio.json()["etapa"] == "ejecucion" and cambio.json()["version"] == 2
    assert cambio["ETag"] == '"2"'
    evento = proyecto.events.select_related("pgh_context").order_by("-pgh_id").first()
    assert evento.pgh_label == "cambio" and evento.pgh_context.metadata["user"] == planificador.pk

    # Un segundo cliente con la versión que leyó antes: 409, con el registro actual y quién lo cambió.
    viejo = api_planificador.enviar("put", url, {**actual, "nombre": "Otro nombre", "version": 1})
    assert viejo.status_code == 409
    cuerpo = viejo.json()
    assert "Otro usuario modificó" in cuerpo["detalle"]
    assert cuerpo["actual"]["version"] == 2 and cuerpo["actual"]["etapa"] == "ejecucion"
    assert cuerpo["actual"]["nombre"] == "Proyecto 0"
    assert cuerpo["modificado_por"] == planificador.username
    assert cuerpo["modificado_en"]
    proyecto.refresh_from_db()
    assert proyecto.nombre == "Proyecto 0" and proyecto.version == 2


def test_actualizar_sin_version_es_400(api_planificador, registros):
    pk = registros["proyectos"][0].pk
    respuesta = api_planificador.enviar("patch", f"/api/proyectos/{pk}/", {"etapa": "idea"})
    assert respuesta.status_code == 400
    assert "obligatoria" in respuesta.json()["errores"]["version"][0]
    completo = api_planificador.leer(f"/api/proyectos/{pk}/").json()
    del completo["version"]
    reemplazo = api_planificador.enviar("put", f"/api/proyectos/{pk}/", completo)
    assert reemplazo.status_code == 400
    assert reemplazo.json()["errores"]["version"] == ["Este campo es requerido."]


def test_eliminar_con_version_en_parametro_o_if_match(api_planificador, registros):
    uno, dos = registros["proyectos"][:2]
    sin_version = api_planificador.delete(
        f"/api/proyectos/{uno.pk}/", headers={"Authorization": api_planificador.autorizacion}
    )
    assert sin_version.status_code == 400
    assert "If-Match" in sin_version.json()["errores"]["version"][0]
    vieja = api_planificador.delete(
        f"/api/proyectos/{uno.pk}/?version=7", headers={"Authorization": api_planificador.autorizacion}
    )
    assert vieja.status_code == 409 and vieja.json()["actual"]["id"] == uno.pk
    for rara in ("%C2%B2", "-1", "1.5", "9" * 30):
        respuesta = api_planificador.delete(
            f"/api/proyectos/{uno.pk}/?version={rara}",
            headers={"Authorization": api_planificador.autorizacion},
        )
        assert respuesta.status_code == 400, rara
        assert "entero positivo" in respuesta.json()["errores"]["version"][0]
    ok = api_planificador.delete(
        f"/api/proyectos/{uno.pk}/?version=1", headers={"Authorization": api_planificador.autorizacion}
    )
    assert ok.status_code == 204
    con_cabecera = api_planificador.delete(
        f"/api/proyectos/{dos.pk}/",
        headers={"Authorization": api_planificador.autorizacion, "If-Match": '"1"'},
    )
    assert con_cabecera.status_code == 204
    assert not Proyecto.objects.filter(pk__in=[uno.pk, dos.pk]).exists()


def test_eliminar_inmueble_con_activos_es_400_explicado(api_planificador, registros):
    inmueble = registros["inmueble"]
    respuesta = api_planificador.delete(
        f"/api/inmuebles/{inmueble.pk}/?version=1", headers={"Authorization": api_planificador.autorizacion}
    )
    assert respuesta.status_code == 400
    assert "No se puede eliminar" in respuesta.json()["errores"]["general"][0]


def test_json_malformado_es_400_en_espanol(api_planificador, comuna):
    respuesta = api_planificador.enviar("post", "/api/proyectos/", '{"nombre": ')
    assert respuesta.status_code == 400
    assert respuesta.json()["detalle"] == "El cuerpo de la petición no es JSON válido."
    lista = api_planificador.enviar("post", "/api/proyectos/", "[1, 2]")
    assert lista.status_code == 400
    assert "diccionario" in lista.json()["errores"]["general"][0]


def test_tipo_de_contenido_no_soportado_es_415(api_planificador, comuna):
    respuesta = api_planificador.post(
        "/api/proyectos/",
        "nombre=x",
        content_type="text/plain",
        headers={"Authorization": api_planificador.autorizacion},
    )
    assert respuesta.status_code == 415
    assert "incompatible" in respuesta.json()["detalle"]


def test_campos_faltantes_y_opciones_invalidas_por_campo(api_planificador, comuna):
    respuesta = api_planificador.enviar("post", "/api/proyectos/", {"nombre": "", "etapa": "nada"})
    assert respuesta.status_code == 400
    errores = respuesta.json()["errores"]
    assert "obligatorio" in errores["tipologia"][0] or "requerido" in errores["tipologia"][0]
    assert "válida" in errores["etapa"][0]


def test_geometria_invalida_con_motivo_y_ubicacion(api_planificador, comuna, centro):
    x, y, d = centro.x, centro.y, 0.002
    corbata = [[[x, y], [x + d, y + d], [x + d, y], [x, y + d], [x, y]]]
    respuesta = api_planificador.enviar(
        "post",
        "/api/propuestas/",
        {
            "nombre": "Mala",
            "uso_propuesto": "residencial",
            "justificacion": "x",
            "geometry": {"type": "Polygon", "coordinates": corbata},
        },
    )
    assert respuesta.status_code == 400
    mensaje = respuesta.json()["errores"]["geometry"][0]
    assert "autointersección" in mensaje and "lon -" in mensaje


def test_geometria_no_geojson_y_tipo_equivocado(api_planificador, registros, centro):
    base = {"inmueble": registros["inmueble"].pk, "nombre": "Gimnasio", "tipo": "gimnasio"}
    basura = api_planificador.enviar(
        "post", "/api/activos/", {**base, "geometry": {"type": "Point", "coordinates": ["a"]}}
    )
    assert basura.status_code == 400
    assert "No es una geometría GeoJSON válida" in basura.json()["errores"]["geometry"][0]
    linea = {"type": "LineString", "coordinates": [[centro.x, centro.y], [centro.x + 0.001, centro.y]]}
    tipo = api_planificador.enviar("post", "/api/activos/", {**base, "geometry": linea})
    assert tipo.status_code == 400
    assert "Tipo de geometría no permitido (línea)" in tipo.json()["errores"]["geometry"][0]


def test_fuera_de_la_comuna_dice_la_distancia(api_planificador, comuna):
    santiago = {"type": "Point", "coordinates": [-70.65, -33.45]}
    respuesta = api_planificador.enviar("post", "/api/proyectos/", {**PROYECTO, "geometry": santiago})
    assert respuesta.status_code == 400
    mensaje = respuesta.json()["errores"]["geometry"][0]
    assert "queda fuera" in mensaje and "km del límite" in mensaje


def test_propuesta_no_cambia_estado_por_la_api(api_planificador, registros):
    propuesta = registros["propuesta"]
    url = f"/api/propuestas/{propuesta.pk}/"
    respuesta = api_planificador.enviar("patch", url, {"estado": "aprobada", "nombre": "Nuevo", "version": 1})
    assert respuesta.status_code == 400
    assert respuesta.json()["errores"]["estado"] == [
        "El estado no se cambia al editar: lo cambia el flujo de aprobación "
        "(POST /api/propuestas/<id>/transiciones/)."
    ]
    propuesta.refresh_from_db()
    assert (propuesta.estado, propuesta.nombre, propuesta.version) == ("borrador", "Área verde ribereña", 1)
    # El mismo estado que tiene (lo que devuelve un GET, reenviado en un PUT) no es un cambio.
    leida = api_planificador.leer(url).json()
    reemplazo = api_planificador.enviar("put", url, {**leida, "nombre": "Nuevo"})
    assert reemplazo.status_code == 200, reemplazo.content
    assert reemplazo.json()["estado"] == "borrador" and reemplazo.json()["nombre"] == "Nuevo"
    nueva = api_planificador.enviar("post", "/api/propuestas/", {**leida, "estado": "presentada"})
    assert nueva.status_code == 400 and "estado" in nueva.json()["errores"]


def test_crear_inmueble_con_poligono_simple_queda_multipoligono(api_planificador, comuna, centro):
    poligono = cuadrado(centro, dx=0.02)[0]
    respuesta = api_planificador.enviar(
        "post",
        "/api/inmuebles/",
        {
            "nombre": "Sede vecinal",
            "rol_manzana": 10,
            "rol_predio": 2,
            "destino": "equipamiento",
            "tenencia": "dominio",
            "superficie_m2": 1234.5,
            "geometry": {"type": "Polygon", "coordinates": poligono.coords},
        },
    )
    assert respuesta.status_code == 201, respuesta.content
    assert respuesta.json()["geometry"]["type"] == "MultiPolygon"
    assert respuesta.json()["superficie_m2"] == 1234.5


def test_base_caida_es_503_y_error_no_previsto_500_en_json(rf):
    from django.db import OperationalError

    from apps.api.errores import manejar_excepcion

    peticion = rf.get("/api/proyectos/")
    caida = manejar_excepcion(OperationalError("sin conexión"), {"request": peticion})
    assert caida.status_code == 503 and caida["Retry-After"] == "30"
    assert "no está disponible" in caida.data["detalle"]
    rara = manejar_excepcion(RuntimeError("falla de prueba"), {"request": peticion})
    assert rara.status_code == 500 and "error interno" in rara.data["detalle"]
    assert "falla de prueba" not in str(rara.data)


@pytest.mark.parametrize(
    ("cuerpo", "detalle"),
    [
        ("[" * 50_000 + "]" * 50_000, "anidado demasiado profundo"),
        (
            '{"nombre": "\\ud800", "tipologia": "proyecto", "etapa": "idea", "institucion": "municipal"}',
            "no son UTF-8 válido",
        ),
        ("\ufeff{}", "no es JSON válido"),
        ('{"a": NaN}', "no es JSON válido"),
        ("1e999999", "no son válidos"),  # se lee como infinito: no es un objeto
    ],
)
def test_cuerpos_hostiles_son_400(api_planificador, comuna, cuerpo, detalle):
    respuesta = api_planificador.enviar("post", "/api/proyectos/", cuerpo)
    assert respuesta.status_code == 400, respuesta.content[:300]
    assert detalle in respuesta.json()["detalle"]
