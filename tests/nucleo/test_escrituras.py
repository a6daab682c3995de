"""Escrituras por servicio: validación completa, versión, actor en la auditoría y nada a medias."""

from datetime import date, timedelta

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError

from apps.nucleo.concurrencia import ConflictoEdicion
from apps.nucleo.historial import ultimo_evento
from apps.ordenamiento.services import propuesta_crear
from apps.patrimonio.choices import Situacion
from apps.patrimonio.selectors import concesiones_con_alerta, concesiones_con_situacion
from apps.patrimonio.services import activo_crear, bien_inmueble_eliminar
from apps.proyectos.models import Proyecto
from apps.proyectos.services import proyecto_actualizar, proyecto_crear, proyecto_eliminar
from tests.factories import CENTRO, ActivoFactory, BienInmuebleFactory, ConcesionFactory, cuadrado

pytestmark = pytest.mark.django_db


def _datos_proyecto(**extra):
    return {
        "nombre": "Pavimentación calle Los Aromos",
        "tipologia": "proyecto",
        "etapa": "perfil",
        "institucion": "municipal",
        "geom": Point(*CENTRO, srid=4326),
        **extra,
    }


def test_crear_guarda_con_la_comuna_y_el_actor_en_la_auditoria(comuna, planificador):
    proyecto = proyecto_crear(datos=_datos_proyecto(monto_solicitado=150_000_000), actor=planificador)

    assert proyecto.comuna == comuna and proyecto.monto_solicitado == 150_000_000
    evento = ultimo_evento(proyecto)
    assert evento is not None and evento.usuario == planificador.get_username()


def test_version_vieja_es_un_conflicto_con_quien_y_cuando(comuna, planificador, consulta):
    proyecto = proyecto_crear(datos=_datos_proyecto(), actor=planificador)
    version = proyecto.version
    proyecto_actualizar(
        instancia=proyecto, datos={"nombre": "Primera edición"}, version=version, actor=planificador
    )

    with pytest.raises(ConflictoEdicion) as conflicto:
        proyecto_actualizar(
            instancia=proyecto, datos={"nombre": "Edición tardía"}, version=version, actor=consulta
        )

    assert conflicto.value.usuario == planificador.get_username() and conflicto.value.fecha is not None
    assert conflicto.value.target.nombre == "Primera edición"
    assert Proyecto.objects.get(pk=proyecto.pk).nombre == "Primera edición"


def test_geometria_fuera_de_la_comuna_se_rechaza_sin_guardar_nada(comuna, planificador):
    santiago = Point(-70.65, -33.45, srid=4326)

    with pytest.raises(ValidationError) as error:
        proyecto_crear(datos=_datos_proyecto(geom=santiago), actor=planificador)

    assert "km" in str(error.value) and Proyecto.objects.count() == 0


def test_anillo_autointersectado_se_rechaza_con_motivo_y_ubicacion(comuna, planificador):
    lon, lat = CENTRO
    corbata = Polygon(
        ((lon, lat), (lon + 0.001, lat + 0.001), (lon + 0.001, lat), (lon, lat + 0.001), (lon, lat))
    )

    with pytest.raises(ValidationError) as error:
        propuesta_crear(
            datos={
                "nombre": "Área verde",
                "uso_propuesto": "area_verde",
                "geom": MultiPolygon(corbata, srid=4326),
            },
            actor=planificador,
        )

    mensaje = " ".join(error.value.messages)
    assert "intersec" in mensaje.lower() and f"{lon + 0.0005:.4f}"[:7] in mensaje.replace(",", ".")


def test_eliminar_lo_que_otros_usan_explica_que_lo_usa(comuna, planificador):
    inmueble = BienInmuebleFactory(comuna=comuna, geom=cuadrado())
    activo_crear(
        datos={"inmueble": inmueble, "nombre": "Estadio municipal", "tipo": "estadio"},
        actor=planificador,
    )

    with pytest.raises(ValidationError) as error:
        bien_inmueble_eliminar(instancia=inmueble, version=inmueble.version, actor=planificador)

    assert "Estadio municipal" in str(error.value)


def test_eliminar_con_version_al_dia_borra_y_audita(comuna, planificador):
    proyecto = proyecto_crear(datos=_datos_proyecto(), actor=planificador)
    proyecto_eliminar(instancia=proyecto, version=proyecto.version, actor=planificador)
    assert not Proyecto.objects.filter(pk=proyecto.pk).exists()


def test_situacion_de_la_concesion_se_calcula_de_sus_fechas(comuna, settings):
    settings.TERRITORIO_CONCESION_DIAS_POR_VENCER = 30
    hoy = date(2026, 12, 2)
    activo = ActivoFactory(inmueble__comuna=comuna)
    fechas = {
        "vencida": hoy - timedelta(days=1),
        "por_vencer": hoy + timedelta(days=30),
        "vigente": hoy + timedelta(days=31),
    }
    concesiones = {
        nombre: ConcesionFactory(
            activo=activo,
            titular_nombre=nombre,
            fecha_inicio=date(2020, 1, 1),
            fecha_termino=termino,
            geom=cuadrado(lado=0.0001 * (i + 1), lon=CENTRO[0] + 0.002 * i),
        )
        for i, (nombre, termino) in enumerate(fechas.items())
    }

    for nombre, concesion in concesiones.items():
        assert concesion.situacion(hoy=hoy) == nombre
    calculadas = dict(concesiones_con_situacion(hoy=hoy).values_list("titular_nombre", "situacion_calculada"))
    assert calculadas == {
        "vencida": Situacion.VENCIDA,
        "por_vencer": Situacion.POR_VENCER,
        "vigente": Situacion.VIGENTE,
    }
    assert [c.titular_nombre for c in concesiones_con_alerta(hoy=hoy)] == ["vencida", "por_vencer"]
