"""Lectura de normas y usos escritos como en una ordenanza (cifras es-CL, usos en texto)."""

import pytest

from apps.ordenamiento.zonas.normativa import numero, tabla_leer, usos_de_textos, usos_unir
from tests.ordenamiento.conftest import NORMATIVA_LAS_CONDES


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("1.500", 1500.0),
        ("0,4", 0.4),
        ("1.234,5", 1234.5),
        ("-", None),
        ("", None),
        (None, None),
        (7, 7.0),
        ("2500 m²", 2500.0),
        ("10,5 m", 10.5),
    ],
)
def test_cifras_como_las_escribe_una_ordenanza(valor, esperado):
    assert numero(valor) == esperado


def test_cifra_ilegible_es_error():
    with pytest.raises(ValueError):
        numero("según estudio")


def test_usos_permitidos_y_el_resto_prohibido():
    usos = usos_de_textos(
        permitido="Residencial; Equipamiento de comercio; Infraestrucura; Areas  Verdes y Espacios Publicos",
        prohibido="Todos los no mencionados como permitidos (Revisar Normativa)",
    )
    assert usos == {
        "residencial": "permitido",
        "equipamiento": "permitido",
        "infraestructura": "permitido",
        "area_verde": "permitido",
        "espacio_publico": "permitido",
        "productivo": "prohibido",
    }


def test_uso_en_dos_listas_es_ambiguo():
    with pytest.raises(ValueError, match="«Residencial» aparece como permitido y como prohibido"):
        usos_de_textos(permitido="Residencial", prohibido="Residencial exclusivo")


def test_varias_filas_dejan_la_condicion_mas_permisiva():
    assert usos_unir(
        [{"residencial": "prohibido"}, {"residencial": "condicionado", "equipamiento": "prohibido"}]
    ) == {
        "residencial": "condicionado",
        "equipamiento": "prohibido",
    }


def test_tabla_real_xlsx_y_csv(tmp_path):
    columnas, filas = tabla_leer(NORMATIVA_LAS_CONDES)
    assert (len(filas), columnas[:3], columnas[-1]) == (197, ["cod", "uso_zona", "zona"], "antejardin")
    csv = tmp_path / "normas.csv"
    csv.write_bytes("cod;densidad;observación\nZU-1;1.500;Área céntrica\n".encode("cp1252"))
    assert tabla_leer(csv) == (
        ["cod", "densidad", "observación"],
        [{"cod": "ZU-1", "densidad": "1.500", "observación": "Área céntrica"}],
    )
