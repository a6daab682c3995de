"""Entradas hostiles en listas y exportaciones: nunca un 500, nunca una fórmula que Excel ejecute."""

import csv
import io

import openpyxl
import pytest

from tests.factories import BienInmuebleFactory, ProyectoFactory


@pytest.fixture
def sesion(client, planificador):
    client.force_login(planificador)
    return client


@pytest.mark.parametrize("texto", ["²-1", "573-³", "99999999999-1", "١٢-٣", "573-"])
def test_busqueda_por_rol_con_cifras_raras_no_falla(sesion, comuna, texto):
    BienInmuebleFactory(comuna=comuna, nombre="Escuela Hualpín", rol_manzana=573, rol_predio=1)
    respuesta = sesion.get("/patrimonio/inmuebles/", {"texto": texto})
    assert respuesta.status_code == 200
    assert "Escuela Hualpín" not in respuesta.content.decode()


def test_busqueda_por_rol_encuentra_el_predio(sesion, comuna):
    BienInmuebleFactory(comuna=comuna, nombre="Escuela Hualpín", rol_manzana=573, rol_predio=24)
    assert "Escuela Hualpín" in sesion.get("/patrimonio/inmuebles/", {"texto": "573-24"}).content.decode()


def test_exportar_no_deja_formulas_ni_caracteres_de_control(sesion, comuna):
    ProyectoFactory(comuna=comuna, nombre='=HYPERLINK("http://x.invalid","clic")')
    ProyectoFactory(comuna=comuna, nombre="Plaza\x01 Los Aromos")

    xlsx = sesion.get("/proyectos/exportar/", {"formato": "xlsx", "orden": "nombre"})
    texto_csv = sesion.get("/proyectos/exportar/", {"formato": "csv", "orden": "nombre"})

    assert xlsx.status_code == 200 and texto_csv.status_code == 200
    hoja = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    columna = [c.value for c in hoja[1]].index("Nombre")
    celdas = [fila[columna] for fila in hoja.iter_rows(min_row=2)]
    assert [c.value for c in celdas] == ['\'=HYPERLINK("http://x.invalid","clic")', "Plaza Los Aromos"]
    assert all(c.data_type == "s" for c in celdas)
    filas = list(csv.DictReader(io.StringIO(texto_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert [f["Nombre"] for f in filas] == ['\'=HYPERLINK("http://x.invalid","clic")', "Plaza Los Aromos"]
