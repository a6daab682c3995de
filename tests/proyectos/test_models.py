"""Reglas espaciales de Proyecto: en el modelo (mensajes) y en la base (respaldo)."""

import pytest
from django.contrib.gis.geos import GEOSGeometry, LineString, Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction

from apps.proyectos.models import FuenteFinanciamiento, Proyecto
from tests.factories import CENTRO, ProyectoFactory, cuadrado

MOÑO = "POLYGON((-73.09 -38.99, -73.08 -38.98, -73.08 -38.99, -73.09 -38.98, -73.09 -38.99))"


@pytest.mark.parametrize(
    "geom",
    [
        Point(*CENTRO, srid=4326),
        LineString((-73.09, -38.99), (-73.08, -38.995), srid=4326),
        cuadrado(),
    ],
    ids=["punto", "linea", "poligono"],
)
def test_proyecto_acepta_punto_linea_o_poligono_dentro_de_la_comuna(comuna, geom):
    proyecto = ProyectoFactory.build(comuna=comuna, geom=geom)
    proyecto.full_clean()
    proyecto.save()
    assert Proyecto.objects.get(pk=proyecto.pk).geom.equals_exact(geom, 1e-9)


def test_poligono_invalido_se_rechaza_con_motivo_y_lugar(comuna):
    proyecto = ProyectoFactory.build(comuna=comuna, geom=GEOSGeometry(MOÑO, srid=4326))
    with pytest.raises(ValidationError) as error:
        proyecto.full_clean()
    assert error.value.message_dict["geom"] == [
        "Geometría inválida: autointersección en lon -73.085000, lat -38.985000."
    ]


def test_coordenadas_invertidas_se_rechazan_con_explicacion(comuna):
    proyecto = ProyectoFactory.build(comuna=comuna, geom=Point(CENTRO[1], CENTRO[0], srid=4326))
    with pytest.raises(ValidationError, match="intercambian latitud y longitud"):
        proyecto.full_clean()


def test_geometria_de_otra_comuna_se_rechaza(comuna):
    temuco = Point(-72.59, -38.74, srid=4326)
    proyecto = ProyectoFactory.build(comuna=comuna, geom=temuco)
    with pytest.raises(ValidationError, match="queda fuera de Teodoro Schmidt"):
        proyecto.full_clean()


def test_geometria_en_utm_se_guarda_en_4326(comuna):
    utm = Point(*CENTRO, srid=4326).transform(5362, clone=True)
    proyecto = ProyectoFactory.build(comuna=comuna, geom=utm)
    proyecto.full_clean()
    proyecto.save()
    guardado = Proyecto.objects.get(pk=proyecto.pk).geom
    assert guardado.srid == 4326
    assert guardado.x == pytest.approx(CENTRO[0], abs=1e-7)


def test_la_base_rechaza_geometria_invalida_aunque_se_salte_el_modelo(comuna):
    with pytest.raises(IntegrityError, match="proyecto_geom_valida"), transaction.atomic():
        Proyecto.objects.bulk_create(
            [ProyectoFactory.build(comuna=comuna, geom=GEOSGeometry(MOÑO, srid=4326))]
        )


def test_la_base_rechaza_geometria_fuera_de_la_comuna_en_un_update_masivo(comuna):
    proyecto = ProyectoFactory(comuna=comuna)
    with pytest.raises(IntegrityError, match="queda fuera del límite de su comuna"), transaction.atomic():
        Proyecto.objects.filter(pk=proyecto.pk).update(geom=Point(-72.59, -38.74, srid=4326))
    assert Proyecto.objects.get(pk=proyecto.pk).geom.equals(Point(*CENTRO, srid=4326))


def test_coleccion_de_geometrias_se_rechaza_con_mensaje(comuna):
    coleccion = GEOSGeometry(f"GEOMETRYCOLLECTION(POINT({CENTRO[0]} {CENTRO[1]}))", srid=4326)
    with pytest.raises(ValidationError) as error:
        ProyectoFactory.build(comuna=comuna, geom=coleccion).full_clean()
    assert error.value.message_dict["geom"] == [
        "Tipo de geometría no permitido (GeometryCollection): use punto, línea o polígono."
    ]


def test_la_base_rechaza_tipos_de_geometria_no_permitidos(comuna):
    coleccion = GEOSGeometry(f"GEOMETRYCOLLECTION(POINT({CENTRO[0]} {CENTRO[1]}))", srid=4326)
    with pytest.raises((IntegrityError, InternalError), match="proyecto_geom_tipo"), transaction.atomic():
        Proyecto.objects.bulk_create([ProyectoFactory.build(comuna=comuna, geom=coleccion)])


def test_codigo_bip_con_formato_y_unico(comuna):
    ProyectoFactory(comuna=comuna, codigo_bip="40012345-6")
    repetido = ProyectoFactory.build(comuna=comuna, codigo_bip="40012345-6")
    with pytest.raises(ValidationError) as error:
        repetido.full_clean()
    assert "Ya existe un proyecto con ese código BIP." in error.value.messages
    mal_formado = ProyectoFactory.build(comuna=comuna, codigo_bip="4001-2")
    with pytest.raises(ValidationError, match="8 dígitos"):
        mal_formado.full_clean()


def test_varios_proyectos_sin_codigo_bip_no_chocan(comuna):
    ProyectoFactory(comuna=comuna, codigo_bip="")
    ProyectoFactory(comuna=comuna, codigo_bip="")
    assert Proyecto.objects.filter(codigo_bip="").count() == 2


def test_catalogo_de_fuentes_viene_cargado(db):
    codigos = set(FuenteFinanciamiento.objects.values_list("codigo", flat=True))
    assert {"fndr", "fril", "pmu", "pmb", "circular-33", "municipal"} <= codigos
