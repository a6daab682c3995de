"""Formatos es-CL: lo que lee y escribe una persona en Chile (montos, fechas, RUT, superficies, plurales)."""

from datetime import UTC, date, datetime

import pytest

from apps.nucleo import formatos
from apps.nucleo.campos import CampoFecha, CampoMontoCLP


@pytest.mark.parametrize(
    ("valor", "decimales", "esperado"),
    [
        (150000000, 0, "150.000.000"),
        (1234.5, 1, "1.234,5"),
        (-2500, 0, "-2.500"),
        (0, 0, "0"),
        (None, 0, "—"),
    ],
)
def test_numero_usa_punto_de_miles_y_coma_decimal(valor, decimales, esperado):
    assert formatos.numero(valor, decimales) == esperado


def test_monto_fecha_y_rut_como_se_escriben_en_chile():
    assert formatos.clp(150_000_000) == "$ 150.000.000"
    assert formatos.fecha(date(2025, 3, 9)) == "09-03-2025"
    # 02:30 UTC del 1 de enero es todavía 31 de diciembre en Santiago (UTC-3 en verano).
    assert formatos.fecha(datetime(2026, 1, 1, 2, 30, tzinfo=UTC)) == "31-12-2025"
    assert formatos.fecha_hora(datetime(2026, 7, 1, 16, 5, tzinfo=UTC)) == "01-07-2026 12:05"
    assert formatos.rut("123456785") == "12.345.678-5"
    assert formatos.rut("12345678-0") == "12345678-0"  # inválido: se muestra tal cual, sin romper


def test_superficie_longitud_y_plurales():
    assert formatos.superficie(12500) == "12.500 m² (1,25 ha)"
    assert formatos.superficie(350) == "350 m²"
    assert formatos.longitud(1530) == "1,53 km"
    assert formatos.longitud(80) == "80 m"
    assert formatos.plural(1, "localidad,localidades") == "1 localidad"
    assert formatos.plural(2, "localidad,localidades") == "2 localidades"
    assert formatos.plural(0, "localidad,localidades") == "0 localidades"
    assert formatos.plural(1500, "proyecto,proyectos") == "1.500 proyectos"


@pytest.mark.parametrize("texto", ["150.000.000", "$ 150.000.000", "150000000", " $150.000.000 "])
def test_monto_clp_acepta_puntos_de_miles_y_signo(texto):
    assert CampoMontoCLP().clean(texto) == 150_000_000


@pytest.mark.parametrize("texto", ["150,5", "1.50.000", "150.000,00", "ciento", "-5"])
def test_monto_clp_rechaza_lo_ambiguo_con_mensaje_en_espanol(texto):
    campo = CampoMontoCLP()
    with pytest.raises(Exception) as error:
        campo.clean(texto)
    assert any(palabra in str(error.value) for palabra in ("pesos enteros", "mayor o igual"))


def test_monto_clp_se_muestra_con_puntos_al_editar():
    assert CampoMontoCLP().prepare_value(150_000_000) == "150.000.000"


@pytest.mark.parametrize("texto", ["31-12-2026", "31/12/2026", "2026-12-31"])
def test_fecha_acepta_dd_mm_aaaa(texto):
    assert CampoFecha().clean(texto) == date(2026, 12, 31)


def test_fecha_invalida_explica_el_formato():
    with pytest.raises(Exception) as error:
        CampoFecha().clean("12/31/2026")
    assert "dd-mm-aaaa" in str(error.value)
