"""Crear, editar y eliminar fuera del admin (sin navegador): servicios, errores en su lugar, 409 y 403."""

import json

import pytest
from django.contrib.gis.geos import LineString

from apps.ordenamiento.models import PropuestaUsoSuelo
from apps.patrimonio.models import Activo, BienInmueble, Concesion
from apps.proyectos.models import Proyecto
from apps.proyectos.services import proyecto_actualizar
from tests.edicion.conftest import datos_proyecto
from tests.factories import (
    CENTRO,
    ActivoFactory,
    BienInmuebleFactory,
    ConcesionFactory,
    ProyectoFactory,
    cuadrado,
)

LON, LAT = CENTRO
# Corbatín: el anillo se cruza consigo mismo en el centro del cuadrado.
CORBATIN = {
    "type": "Polygon",
    "coordinates": [
        [[LON, LAT], [LON + 0.002, LAT + 0.002], [LON + 0.002, LAT], [LON, LAT + 0.002], [LON, LAT]]
    ],
}
CUADRADO = {
    "type": "Polygon",
    "coordinates": [
        [[LON, LAT], [LON + 0.001, LAT], [LON + 0.001, LAT + 0.001], [LON, LAT + 0.001], [LON, LAT]]
    ],
}


def eventos(modelo) -> int:
    """Cuenta los eventos del historial (pghistory) de ``modelo``."""
    return modelo.events.rel.related_model.objects.count()


def test_crear_proyecto_acepta_monto_con_puntos_y_redirige_a_la_ficha(cliente, planificador):
    respuesta = cliente.post("/proyectos/nuevo/", datos_proyecto())
    proyecto = Proyecto.objects.get()
    assert respuesta.status_code == 302
    assert respuesta["Location"] == f"/proyectos/{proyecto.pk}/"
    assert proyecto.monto_solicitado == 150_000_000
    assert proyecto.geom.geom_type == "Point"
    assert round(proyecto.geom.x, 6) == round(LON + 0.0005, 6)
    ultimo = proyecto.events.order_by("-pgh_id").first()
    assert ultimo.pgh_label == "alta"
    assert ultimo.pgh_context.metadata["user"] == planificador.pk


def test_formulario_de_edicion_muestra_monto_con_puntos_y_version(cliente, comuna):
    proyecto = ProyectoFactory(comuna=comuna, monto_solicitado=150_000_000)
    html = cliente.get(f"/proyectos/{proyecto.pk}/editar/").content.decode()
    assert 'value="150.000.000"' in html
    assert f'name="version" value="{proyecto.version}"' in html
    assert "Dibujar punto" in html and "Dibujar línea" in html and "Dibujar polígono" in html


def test_anillo_autointersectado_se_rechaza_con_motivo_y_lugar_sin_guardar_nada(cliente):
    antes, eventos_antes = PropuestaUsoSuelo.objects.count(), eventos(PropuestaUsoSuelo)
    respuesta = cliente.post(
        "/ordenamiento/propuestas/nuevo/",
        {
            "nombre": "Parque ribereño",
            "uso_propuesto": "area_verde",
            "justificacion": "Borde del río.",
            "geom": json.dumps(CORBATIN),
        },
    )
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "Geometría inválida: autointersección en lon -73.08" in html
    assert 'id="dibujo-error"' in html
    # El lugar del cruce va al mapa (punto rojo): el centro del corbatín.
    configuracion = json.loads(
        html.split('id="dibujo-configuracion" type="application/json">')[1].split("</script>")[0]
    )
    assert configuracion["lugar_error"] == pytest.approx([LON + 0.001, LAT + 0.001])
    assert PropuestaUsoSuelo.objects.count() == antes
    assert eventos(PropuestaUsoSuelo) == eventos_antes
    # Lo escrito sigue en el formulario.
    assert "Parque ribereño" in html


def test_fuera_de_la_comuna_dice_a_que_distancia(cliente):
    lejos = {"type": "Point", "coordinates": [-72.60, -38.74]}  # Temuco, fuera de Teodoro Schmidt
    antes = Proyecto.objects.count()
    respuesta = cliente.post("/proyectos/nuevo/", datos_proyecto(geom=json.dumps(lejos)))
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "La geometría queda fuera de Teodoro Schmidt" in html
    assert " km del límite" in html
    assert Proyecto.objects.count() == antes


def test_tipo_de_geometria_ajeno_se_rechaza_en_espanol(cliente):
    linea = {"type": "LineString", "coordinates": [[LON, LAT], [LON + 0.001, LAT]]}
    respuesta = cliente.post(
        "/ordenamiento/propuestas/nuevo/",
        {"nombre": "X", "uso_propuesto": "area_verde", "justificacion": "Y", "geom": json.dumps(linea)},
    )
    assert "Aquí se dibuja un polígono, no una línea." in respuesta.content.decode()
    assert not PropuestaUsoSuelo.objects.exists()


def test_version_vieja_da_409_con_quien_y_cuando_y_conserva_lo_escrito(cliente, comuna, django_user_model):
    proyecto = ProyectoFactory(comuna=comuna, nombre="Sede social")
    vieja = proyecto.version
    otra = django_user_model.objects.create_user(username="rmunoz", first_name="Rosa", last_name="Muñoz")
    proyecto_actualizar(
        instancia=proyecto, datos={"nombre": "Sede social El Budi"}, version=vieja, actor=otra
    )
    respuesta = cliente.post(
        f"/proyectos/{proyecto.pk}/editar/", datos_proyecto(nombre="Sede comunitaria", version=vieja)
    )
    html = respuesta.content.decode()
    assert respuesta.status_code == 409
    assert "Rosa Muñoz" in html and "Otro usuario cambió este registro" in html
    assert "Recargar la versión actual" in html
    assert "Editar proyecto «Sede social El Budi»</h1>" in html
    assert "Sede social El Budi" in html and 'value="Sede comunitaria"' in html
    proyecto.refresh_from_db()
    assert proyecto.nombre == "Sede social El Budi"
    # Guardar sobre la versión actual, a sabiendas.
    actual = proyecto.version
    respuesta = cliente.post(
        f"/proyectos/{proyecto.pk}/editar/",
        {**datos_proyecto(nombre="Sede comunitaria", version=vieja), "version_actual": actual},
    )
    assert respuesta.status_code == 302
    proyecto.refresh_from_db()
    assert proyecto.nombre == "Sede comunitaria"


def test_concesion_rut_formateado_fechas_chilenas_y_canon(cliente, comuna):
    activo = ActivoFactory(inmueble=BienInmuebleFactory(comuna=comuna))
    respuesta = cliente.post(
        "/patrimonio/concesiones/nuevo/",
        {
            "activo": activo.pk,
            "tipo": "arriendo",
            "titular_nombre": "Cafetería El Budi SpA",
            "titular_rut": "760864285",
            "fecha_inicio": "01-03-2026",
            "fecha_termino": "28-02-2027",
            "canon_clp": "$ 350.000",
            "estado": "vigente",
            "geom": json.dumps(CUADRADO),
        },
    )
    concesion = Concesion.objects.get()
    assert respuesta.status_code == 302, respuesta.content.decode()[:3000]
    assert concesion.titular_rut == "76.086.428-5"
    assert concesion.fecha_inicio.isoformat() == "2026-03-01"
    assert concesion.canon_clp == 350_000
    assert concesion.geom.geom_type == "MultiPolygon"
    html = cliente.get(f"/patrimonio/concesiones/{concesion.pk}/editar/").content.decode()
    assert 'value="01-03-2026"' in html and 'value="76.086.428-5"' in html and 'value="350.000"' in html


def test_rut_invalido_se_explica(cliente, comuna):
    activo = ActivoFactory(inmueble=BienInmuebleFactory(comuna=comuna))
    respuesta = cliente.post(
        "/patrimonio/concesiones/nuevo/",
        {
            "activo": activo.pk,
            "tipo": "arriendo",
            "titular_nombre": "X",
            "titular_rut": "76.086.428-1",
            "fecha_inicio": "01-03-2026",
            "estado": "vigente",
        },
    )
    assert "no es un RUT válido" in respuesta.content.decode()
    assert not Concesion.objects.exists()


def test_eliminar_con_confirmacion_y_lo_protegido_se_explica(cliente, comuna):
    inmueble = BienInmuebleFactory(comuna=comuna, nombre="Estadio")
    ActivoFactory(inmueble=inmueble, nombre="Graderías")
    html = cliente.get(f"/patrimonio/inmuebles/{inmueble.pk}/eliminar/").content.decode()
    assert "Sí, eliminar" in html
    respuesta = cliente.post(f"/patrimonio/inmuebles/{inmueble.pk}/eliminar/", {"version": inmueble.version})
    assert "No se puede eliminar" in respuesta.content.decode() and "Graderías" in respuesta.content.decode()
    propuesta = PropuestaUsoSuelo.objects.create(
        comuna=comuna, nombre="Borrar", uso_propuesto="area_verde", justificacion="x", geom=cuadrado()
    )
    vieja = cliente.post(
        f"/ordenamiento/propuestas/{propuesta.pk}/eliminar/", {"version": propuesta.version - 1}
    )
    assert vieja.status_code == 409
    respuesta = cliente.post(
        f"/ordenamiento/propuestas/{propuesta.pk}/eliminar/", {"version": propuesta.version}
    )
    assert respuesta.status_code == 302 and respuesta["Location"] == "/ordenamiento/propuestas/"
    assert not PropuestaUsoSuelo.objects.filter(pk=propuesta.pk).exists()


def test_centro_pedido_desde_el_visor_se_valida_y_acota(cliente):
    def configuracion(consulta):
        html = cliente.get(f"/ordenamiento/propuestas/nuevo/{consulta}").content.decode()
        return json.loads(
            html.split('id="dibujo-configuracion" type="application/json">')[1].split("</script>")[0]
        )

    assert configuracion(f"?centro={LON},{LAT}&zoom=40")["centro"] == {"lon": LON, "lat": LAT, "zoom": 19}
    assert configuracion("?centro=-73.1,-38.9&zoom=2")["centro"]["zoom"] == 5
    assert configuracion("?centro=abc,1&zoom=3")["centro"] is None
    assert configuracion("?centro=-273,-38&zoom=10")["centro"] is None
    assert configuracion(f"?centro={LON},{LAT}&zoom=inf")["centro"] is None
    assert configuracion("?centro=nan,nan&zoom=nan")["centro"] is None


RUTAS = [
    ("/proyectos/", lambda c: ProyectoFactory(comuna=c)),
    ("/patrimonio/inmuebles/", lambda c: BienInmuebleFactory(comuna=c)),
    ("/patrimonio/activos/", lambda c: ActivoFactory(inmueble=BienInmuebleFactory(comuna=c))),
    (
        "/patrimonio/concesiones/",
        lambda c: ConcesionFactory(activo=ActivoFactory(inmueble=BienInmuebleFactory(comuna=c))),
    ),
    (
        "/ordenamiento/propuestas/",
        lambda c: PropuestaUsoSuelo.objects.create(
            comuna=c, nombre="P", uso_propuesto="area_verde", justificacion="x", geom=cuadrado()
        ),
    ),
]


@pytest.mark.parametrize(("base", "fabrica"), RUTAS)
def test_consulta_recibe_403_en_crear_editar_y_eliminar(client, consulta, comuna, base, fabrica):
    registro = fabrica(comuna)
    client.force_login(consulta)
    modelo = type(registro)
    antes = modelo.objects.count()
    for ruta in (f"{base}nuevo/", f"{base}{registro.pk}/editar/", f"{base}{registro.pk}/eliminar/"):
        assert client.get(ruta).status_code == 403, ruta
        assert client.post(ruta, {"version": registro.version, "nombre": "x"}).status_code == 403, ruta
    assert modelo.objects.count() == antes
    registro.refresh_from_db()
    assert registro.nombre != "x" if hasattr(registro, "nombre") else True


def test_visor_ofrece_dibujar_una_propuesta_solo_a_quien_puede_crearla(
    client, planificador, consulta, comuna
):
    client.force_login(planificador)
    assert (
        'id="btn-dibujar-propuesta" href="/ordenamiento/propuestas/nuevo/"'
        in client.get("/mapa/").content.decode()
    )
    client.force_login(consulta)
    assert "btn-dibujar-propuesta" not in client.get("/mapa/").content.decode()


def test_version_ausente_o_rara_no_da_500(cliente, comuna):
    proyecto = ProyectoFactory(comuna=comuna)
    sin_version = cliente.post(f"/proyectos/{proyecto.pk}/editar/", datos_proyecto())
    assert sin_version.status_code == 200
    assert "Falta la versión del registro" in sin_version.content.decode()
    rara = cliente.post(
        f"/proyectos/{proyecto.pk}/editar/", {**datos_proyecto(version="x1"), "version_actual": "x"}
    )
    assert rara.status_code == 200
    assert "Versión: la versión del registro no es válida" in rara.content.decode()
    eliminar = cliente.post(f"/proyectos/{proyecto.pk}/eliminar/", {"version": "abc"})
    assert eliminar.status_code == 400 and "Falta la versión" in eliminar.content.decode()
    assert Proyecto.objects.filter(pk=proyecto.pk).exists()


def test_inmueble_con_superficie_chilena_y_rol_repetido_explicado(cliente, comuna):
    datos = {
        "nombre": "Estadio municipal",
        "rol_manzana": "573",
        "rol_predio": "24",
        "destino": "deportivo",
        "tenencia": "dominio",
        "estado_saneamiento": "regular",
        "superficie_m2": "12.500,5",
        "geom": json.dumps(CUADRADO),
    }
    respuesta = cliente.post("/patrimonio/inmuebles/nuevo/", datos)
    assert respuesta.status_code == 302
    inmueble = BienInmueble.objects.get()
    assert str(inmueble.superficie_m2) == "12500.50"
    assert inmueble.geom.geom_type == "MultiPolygon"
    html = cliente.get(f"/patrimonio/inmuebles/{inmueble.pk}/editar/").content.decode()
    assert 'value="12.500,5"' in html
    repetido = cliente.post("/patrimonio/inmuebles/nuevo/", {**datos, "nombre": "Otro"})
    assert repetido.status_code == 200
    assert "Ya existe un inmueble con ese rol SII en la comuna." in repetido.content.decode()
    assert BienInmueble.objects.count() == 1


def test_activo_con_su_punto(cliente, comuna, planificador):
    inmueble = BienInmuebleFactory(comuna=comuna)
    respuesta = cliente.post(
        "/patrimonio/activos/nuevo/",
        {
            "nombre": "Gimnasio Hualpín",
            "tipo": "gimnasio",
            "inmueble": inmueble.pk,
            "ubicacion": json.dumps({"type": "Point", "coordinates": [LON + 0.0005, LAT + 0.0005]}),
        },
    )
    activo = Activo.objects.get()
    assert respuesta.status_code == 302 and respuesta["Location"] == f"/patrimonio/activos/{activo.pk}/"
    assert activo.ubicacion.geom_type == "Point" and activo.comuna_id == comuna.pk
    html = cliente.get(f"/patrimonio/activos/{activo.pk}/editar/").content.decode()
    assert 'id="id_ubicacion-map"' in html and "Dibujar punto" in html and "Dibujar polígono" not in html
    assert "y de los bienes inmuebles (en verde)" in html
    configuracion = json.loads(
        html.split('id="dibujo-configuracion" type="application/json">')[1].split("</script>")[0]
    )
    assert configuracion["referencias"][0]["features"][0]["properties"]["nombre"] == str(inmueble)


def test_los_vecinos_del_mismo_tipo_van_al_mapa_para_ajustar(cliente, comuna):
    def configuracion(ruta):
        html = cliente.get(ruta).content.decode()
        return json.loads(
            html.split('id="dibujo-configuracion" type="application/json">')[1].split("</script>")[0]
        )

    una = PropuestaUsoSuelo.objects.create(
        comuna=comuna, nombre="Una", uso_propuesto="area_verde", justificacion="x", geom=cuadrado()
    )
    PropuestaUsoSuelo.objects.create(
        comuna=comuna,
        nombre="Otra",
        uso_propuesto="area_verde",
        justificacion="x",
        geom=cuadrado(LON + 0.002),
    )
    vecinos = configuracion(f"/ordenamiento/propuestas/{una.pk}/editar/")["vecinos"]["features"]
    assert [v["properties"]["nombre"] for v in vecinos] == ["Otra"]
    assert vecinos[0]["geometry"]["type"] == "MultiPolygon"
    linea = ProyectoFactory(comuna=comuna, geom=LineString((LON, LAT), (LON + 0.001, LAT), srid=4326))
    ProyectoFactory(comuna=comuna, nombre="Área", geom=cuadrado(LON + 0.003)[0])
    ProyectoFactory(comuna=comuna, nombre="Punto")
    vecinos = configuracion(f"/proyectos/{linea.pk}/editar/")["vecinos"]["features"]
    assert sorted(v["geometry"]["type"] for v in vecinos) == ["Point", "Polygon"]
    assert configuracion(f"/proyectos/nuevo/?centro={LON},{LAT}&zoom=15")["vecinos"]["features"]


def test_version_de_cuatro_cifras_va_sin_punto_de_miles_en_los_formularios(cliente, comuna):
    proyecto = ProyectoFactory(comuna=comuna, nombre="Sede social")
    Proyecto.objects.filter(pk=proyecto.pk).update(version=1233)
    proyecto.refresh_from_db()
    version = proyecto.version
    assert version >= 1000

    eliminar = cliente.get(f"/proyectos/{proyecto.pk}/eliminar/").content.decode()
    editar = cliente.get(f"/proyectos/{proyecto.pk}/editar/").content.decode()
    conflicto = cliente.post(f"/proyectos/{proyecto.pk}/editar/", datos_proyecto(nombre="Otra", version=1))

    assert f'value="{version}"' in eliminar and f'value="{version}"' in editar
    assert conflicto.status_code == 409 and f'value="{version}"' in conflicto.content.decode()
    assert f"{version:,}".replace(",", ".") not in eliminar + editar
