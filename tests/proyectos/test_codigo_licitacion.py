"""Código de Mercado Público (CodigoExterno) del proyecto: formato validado, en mayúsculas."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ProyectoFactory


@pytest.mark.parametrize("codigo", ["1509-5-L114", "2421-23-LE19", "1057501-8-LQ22", "5482-12-LP22", ""])
def test_codigos_validos(comuna, codigo):
    proyecto = ProyectoFactory.build(comuna=comuna, codigo_licitacion=codigo)
    proyecto.full_clean()


@pytest.mark.parametrize(
    "codigo", ["1509-5-l114", "1509-5", "L114", "1509-5-L1144", "1509 5 L114", "x' OR 1=1"]
)
def test_codigos_invalidos_con_mensaje_en_espanol(comuna, codigo):
    proyecto = ProyectoFactory.build(comuna=comuna, codigo_licitacion=codigo)
    with pytest.raises(ValidationError) as error:
        proyecto.full_clean()
    assert error.value.message_dict["codigo_licitacion"] == [
        "El código de Mercado Público (CodigoExterno) es unidad-correlativo-tipo y año, en mayúsculas, "
        "p. ej. 1509-5-L114 o 2421-23-LE19."
    ]
