"""Concesiones: sin dos vigentes superpuestas en activo, período y área; avisos de vencimiento."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.patrimonio.models import Concesion
from apps.patrimonio.selectors import concesiones_por_vencer
from tests.factories import CENTRO, ActivoFactory, BienInmuebleFactory, ConcesionFactory, cuadrado

LON, LAT = CENTRO
# Dos mitades de un mismo recinto y una franja que se cruza con ambas.
OESTE = cuadrado(LON, LAT, 0.0005)
ESTE = cuadrado(LON + 0.0005, LAT, 0.0005)


@pytest.fixture
def activo(comuna):
    return ActivoFactory(inmueble=BienInmuebleFactory(comuna=comuna, geom=cuadrado(LON, LAT, 0.001)))


def _concesion(activo, **campos):
    valores = {"fecha_inicio": date(2026, 1, 1), "fecha_termino": date(2027, 12, 31), "geom": OESTE}
    valores.update(campos)
    return ConcesionFactory.build(activo=activo, comuna=activo.comuna, **valores)


def test_dos_vigentes_en_la_misma_area_y_periodo_se_rechazan(activo):
    primera = _concesion(activo)
    primera.full_clean()
    primera.save()
    segunda = _concesion(activo, fecha_inicio=date(2027, 6, 1), fecha_termino=date(2028, 6, 1))
    with pytest.raises(ValidationError, match=r"Se superpone con .* \(vigente desde 01-01-2026\)"):
        segunda.full_clean()
    with pytest.raises(IntegrityError, match="se superpone con otra vigente"), transaction.atomic():
        segunda.save()
    assert Concesion.objects.count() == 1


def test_areas_vecinas_del_mismo_activo_conviven(activo):
    _concesion(activo, geom=OESTE).save()
    vecina = _concesion(activo, geom=ESTE)
    vecina.full_clean()
    vecina.save()
    assert Concesion.objects.count() == 2


def test_concesion_sin_area_abarca_todo_el_activo(activo):
    _concesion(activo, geom=OESTE).save()
    todo = _concesion(activo, geom=None)
    with pytest.raises(ValidationError, match="Se superpone"):
        todo.full_clean()


def test_periodos_consecutivos_y_concesiones_terminadas_no_chocan(activo):
    _concesion(activo, fecha_termino=date(2026, 12, 31)).save()
    siguiente = _concesion(activo, fecha_inicio=date(2027, 1, 1), fecha_termino=None)
    siguiente.full_clean()
    siguiente.save()
    terminada = _concesion(activo, estado="terminada", fecha_inicio=date(2026, 5, 1))
    terminada.full_clean()
    terminada.save()
    assert Concesion.objects.count() == 3


def test_concesiones_por_vencer_en_60_dias(activo):
    pronto = _concesion(activo, fecha_termino=date(2026, 3, 1), geom=OESTE)
    pronto.save()
    _concesion(activo, fecha_termino=date(2026, 9, 1), geom=ESTE).save()
    assert list(concesiones_por_vencer(dias=60, hoy=date(2026, 1, 15))) == [pronto]
    assert list(concesiones_por_vencer(dias=60, hoy=date(2026, 3, 2))) == []
