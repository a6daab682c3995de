"""Listas y fichas del patrimonio: superficie medida por PostGIS, situación calculada y vinculados."""

import csv
import io

import openpyxl
import pytest

from apps.patrimonio.services import concesion_actualizar


@pytest.fixture
def sesion(client, planificador):
    client.force_login(planificador)
    return client


def test_lista_de_inmuebles_suma_la_superficie_medida_en_hectareas(sesion, patrimonio):
    respuesta = sesion.get("/patrimonio/inmuebles/")
    html = respuesta.content.decode()
    assert "2 bienes inmuebles" in html
    # Cada cuadrado de 0,001° a 39° S mide ~111 m × ~86 m ≈ 0,96 ha; los dos, ~1,93 ha.
    total = respuesta.context["totales"][0].valor
    hectareas = float(total.removesuffix(" ha").replace(",", "."))
    assert 1.85 < hectareas < 2.0
    html = sesion.get("/patrimonio/inmuebles/", {"destino": "sin_uso"}).content.decode()
    assert "1 bien inmueble<" in html and "Sitio eriazo" in html and "Recinto deportivo" not in html


def test_lista_de_concesiones_filtra_por_situacion_calculada(sesion, patrimonio):
    html = sesion.get("/patrimonio/concesiones/", {"situacion": "vencida"}).content.decode()
    assert "1 concesión<" in html
    assert "Cafetería El Budi SpA" in html and "Club Deportivo" not in html
    assert "Vencida" in html and "76.086.428-5" in html
    # Una vencida ya no paga: el canon en curso de lo filtrado es cero.
    assert 'Canon mensual en curso: <strong class="cifra">$ 0<' in html
    respuesta = sesion.get("/patrimonio/concesiones/", {"orden": "-canon_clp"})
    assert [c.titular_nombre for c in respuesta.context["pagina"]] == [
        "Club Deportivo Hualpín",
        "Cafetería El Budi SpA",
    ]
    html = respuesta.content.decode()
    assert 'Canon anual en curso: <strong class="cifra">$ 1.200.000' in html
    assert 'Canon mensual en curso: <strong class="cifra">$ 0<' in html


def test_busqueda_por_rut_sin_puntos(sesion, patrimonio):
    respuesta = sesion.get("/patrimonio/concesiones/", {"texto": "65123456"})
    assert [c.titular_nombre for c in respuesta.context["pagina"]] == ["Club Deportivo Hualpín"]


def test_exportar_concesiones_csv_y_xlsx(sesion, patrimonio):
    csv_ = sesion.get("/patrimonio/concesiones/exportar/", {"formato": "csv", "situacion": "vencida"})
    filas = list(csv.DictReader(io.StringIO(csv_.content.decode("utf-8-sig")), delimiter=";"))
    assert [(f["Titular"], int(f["Canon"]), f["Situación"]) for f in filas] == [
        ("Cafetería El Budi SpA", 450_000, "Vencida")
    ]
    xlsx = sesion.get("/patrimonio/concesiones/exportar/", {"formato": "xlsx", "orden": "canon_clp"})
    hoja = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    filas = list(hoja.iter_rows(values_only=True))
    canon = filas[0].index("Canon")
    assert [f[canon] for f in filas[1:]] == [450_000, 1_200_000]
    assert hoja.cell(row=2, column=filas[0].index("Inicio") + 1).is_date


def test_exportar_inmuebles_con_hectareas_numericas(sesion, patrimonio):
    xlsx = sesion.get("/patrimonio/inmuebles/exportar/", {"formato": "xlsx", "texto": "Recinto"})
    filas = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert len(filas) == 2
    assert 0.9 < filas[1][filas[0].index("Superficie medida")] < 1.0
    csv_ = sesion.get("/patrimonio/inmuebles/exportar/", {"formato": "csv", "texto": "Recinto"})
    fila = next(csv.DictReader(io.StringIO(csv_.content.decode("utf-8-sig")), delimiter=";"))
    assert 0.9 < float(fila["Superficie medida"].replace(",", ".")) < 1.0


def test_ficha_de_inmueble_lista_activos_y_concesiones_con_enlace(sesion, patrimonio):
    inmueble = patrimonio["inmueble"]
    html = sesion.get(f"/patrimonio/inmuebles/{inmueble.pk}/").content.decode()
    assert f'href="/patrimonio/activos/{patrimonio["gimnasio"].pk}/">Gimnasio Hualpín' in html
    assert f'href="/patrimonio/concesiones/{patrimonio["vencida"].pk}/">Cafetería El Budi SpA' in html
    assert "Equipamiento" in html and "Dominio municipal" in html
    assert f"s=inmuebles:{inmueble.pk}" in html
    assert 'id="minimapa"' in html


def test_ficha_de_concesion_vencida_alerta_y_muestra_titular(sesion, patrimonio, planificador):
    vencida = patrimonio["vencida"]
    concesion_actualizar(
        instancia=vencida, datos={"canon_clp": 500_000}, version=vencida.version, actor=planificador
    )
    html = sesion.get(f"/patrimonio/concesiones/{vencida.pk}/").content.decode()
    assert 'id="alerta-situacion"' in html and "<strong>Vencida</strong>" in html
    assert "RUT 76.086.428-5" in html
    assert "Gimnasio Hualpín" in html and "Recinto deportivo Hualpín" in html
    assert '$ 450.000</span> → <span class="despues">$ 500.000' in html


def test_consulta_sin_botones_y_sin_rol_403(client, consulta, django_user_model, patrimonio):
    client.force_login(consulta)
    html = client.get(f"/patrimonio/activos/{patrimonio['gimnasio'].pk}/").content.decode()
    assert "Gimnasio Hualpín" in html and 'id="btn-editar"' not in html
    client.force_login(django_user_model.objects.create_user(username="nadie", password="x-clave-1"))
    assert client.get("/patrimonio/concesiones/").status_code == 403
    assert client.get(f"/patrimonio/inmuebles/{patrimonio['inmueble'].pk}/").status_code == 403


def test_orden_por_situacion_va_de_lo_urgente_a_lo_cerrado(sesion, patrimonio):
    from datetime import date, timedelta

    from tests.factories import ActivoFactory, ConcesionFactory

    sede = ActivoFactory(inmueble=patrimonio["otro"], nombre="Sede social", tipo="sede")
    ConcesionFactory(activo=sede, fecha_termino=date.today() + timedelta(days=5))  # por vencer
    respuesta = sesion.get("/patrimonio/concesiones/", {"orden": "situacion"})
    assert [c.situacion_calculada for c in respuesta.context["pagina"]] == [
        "vencida",
        "por_vencer",
        "vigente",
    ]
    respuesta = sesion.get("/patrimonio/concesiones/", {"orden": "-situacion"})
    assert [c.situacion_calculada for c in respuesta.context["pagina"]] == [
        "vigente",
        "por_vencer",
        "vencida",
    ]
