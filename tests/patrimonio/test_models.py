"""Reglas de patrimonio: rol SII único por comuna, RUT del titular, fechas y polígonos."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.patrimonio.models import BienInmueble
from tests.factories import BienInmuebleFactory, ConcesionFactory


def test_rol_sii_unico_en_la_comuna(comuna):
    BienInmuebleFactory(comuna=comuna, rol_manzana=573, rol_predio=24)
    repetido = BienInmuebleFactory.build(comuna=comuna, rol_manzana=573, rol_predio=24)
    with pytest.raises(ValidationError) as error:
        repetido.full_clean()
    assert "Ya existe un inmueble con ese rol SII en la comuna." in error.value.messages
    with pytest.raises(IntegrityError, match="inmueble_rol_unico_en_comuna"), transaction.atomic():
        repetido.save()


def test_rol_e_inscripcion_se_citan_como_en_los_documentos(comuna):
    inmueble = BienInmuebleFactory(
        comuna=comuna,
        rol_manzana=573,
        rol_predio=24,
        cbr_fojas=12,
        cbr_fojas_vuelta=True,
        cbr_numero=34,
        cbr_anio=1998,
    )
    assert inmueble.rol_sii == "573-24"
    assert inmueble.inscripcion_cbr == "fs. 12 vta. N° 34 de 1998"


def test_poligono_simple_se_guarda_como_multipoligono(comuna):
    inmueble = BienInmuebleFactory(comuna=comuna)
    assert BienInmueble.objects.get(pk=inmueble.pk).geom.geom_type == "MultiPolygon"


def test_rut_del_titular_se_valida_y_normaliza(comuna):
    inmueble = BienInmuebleFactory(comuna=comuna)
    concesion = ConcesionFactory(activo__inmueble=inmueble, titular_rut="76.086.428-5")
    concesion.titular_rut = "76086428-5"
    concesion.full_clean()
    assert concesion.titular_rut == "76.086.428-5"
    concesion.titular_rut = "76.086.428-K"
    with pytest.raises(ValidationError) as error:
        concesion.full_clean()
    assert "no es un RUT válido" in error.value.message_dict["titular_rut"][0]


def test_fecha_de_termino_anterior_al_inicio_se_rechaza(comuna):
    inmueble = BienInmuebleFactory(comuna=comuna)
    concesion = ConcesionFactory(activo__inmueble=inmueble)
    concesion.fecha_termino = concesion.fecha_inicio.replace(year=concesion.fecha_inicio.year - 1)
    with pytest.raises(ValidationError, match="anterior a la de inicio"):
        concesion.full_clean()
