"""Lista, exportación y ficha de proyectos: filtros, orden, totales, archivos legibles e historial."""

import csv
import io

import openpyxl
import pytest

from apps.proyectos.services import proyecto_actualizar


@pytest.fixture
def sesion(client, planificador):
    client.force_login(planificador)
    return client


def test_lista_filtra_por_fuente_y_suma_los_montos(sesion, proyectos, fuente):
    respuesta = sesion.get("/proyectos/", {"fuente": fuente.pk})
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "2 proyectos" in html
    assert "Estudio de agua potable rural" not in html
    assert "$ 155.500.000" in html  # 120.000.000 + 35.500.000 solicitados
    assert "$ 130.250.000" in html  # 100.000.000 + 30.250.000 aprobados
    assert "Ejecución" in html and "FNDR" in html and "Hualpín" in html


def test_lista_un_solo_registro_en_singular(sesion, proyectos):
    html = sesion.get("/proyectos/", {"texto": "40012345"}).content.decode()
    assert "1 proyecto<" in html


def test_lista_ordena_por_monto_y_rechaza_columnas_fuera_de_la_lista(sesion, proyectos):
    nombres = [p.nombre for p in sesion.get("/proyectos/", {"orden": "-monto_solicitado"}).context["pagina"]]
    assert nombres == [
        "Pavimentación calle Arturo Prat",
        "Sede social Los Robles",
        "Estudio de agua potable rural",
    ]
    nombres = [p.nombre for p in sesion.get("/proyectos/", {"orden": "monto_solicitado"}).context["pagina"]]
    assert nombres[0] == "Estudio de agua potable rural"
    respuesta = sesion.get("/proyectos/", {"orden": "comuna__limite"})
    assert respuesta.status_code == 200


def test_exportar_csv_con_filtros_se_lee_de_vuelta(sesion, proyectos):
    respuesta = sesion.get("/proyectos/exportar/", {"formato": "csv", "etapa": "ejecucion"})
    assert respuesta["Content-Type"].startswith("text/csv")
    contenido = respuesta.content
    assert contenido.startswith(b"\xef\xbb\xbf")
    filas = list(csv.DictReader(io.StringIO(contenido.decode("utf-8-sig")), delimiter=";"))
    assert len(filas) == 1
    assert filas[0]["Nombre"] == "Pavimentación calle Arturo Prat"
    assert int(filas[0]["Monto aprobado"]) == 100_000_000
    assert filas[0]["Etapa"] == "Ejecución"


def test_exportar_xlsx_con_filtros_tiene_numeros_y_fechas(sesion, proyectos, fuente):
    respuesta = sesion.get(
        "/proyectos/exportar/", {"formato": "xlsx", "fuente": fuente.pk, "orden": "nombre"}
    )
    hoja = openpyxl.load_workbook(io.BytesIO(respuesta.content)).active
    filas = list(hoja.iter_rows(values_only=True))
    encabezado = filas[0]
    assert len(filas) == 3
    montos = [f[encabezado.index("Monto solicitado")] for f in filas[1:]]
    assert montos == [120_000_000, 35_500_000]
    celda = hoja.cell(row=2, column=encabezado.index("Monto aprobado") + 1)
    assert celda.number_format == "#,##0"
    fecha = hoja.cell(row=2, column=encabezado.index("Modificado") + 1)
    assert fecha.is_date


def test_ficha_muestra_etiquetas_vinculados_vecinos_e_historial_legible(
    sesion, proyectos, planificador, fuente
):
    proyecto = proyectos[0]
    proyecto_actualizar(
        instancia=proyecto,
        datos={"monto_aprobado": 150_000_000, "etapa": "operacion"},
        version=proyecto.version,
        actor=planificador,
    )
    respuesta = sesion.get(f"/proyectos/{proyecto.pk}/")
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert respuesta.context["puede_editar"] is True and respuesta.context["puede_eliminar"] is True
    assert "Monto aprobado (CLP)" in html
    assert fuente.nombre in html and "Hualpín" in html
    assert "Sede social Los Robles" in html  # a ~170 m
    assert "Estudio de agua potable rural" not in html  # a varios km
    assert '$ 100.000.000</span> → <span class="despues">$ 150.000.000' in html
    assert 'Ejecución</span> → <span class="despues">Operación' in html
    assert "planificadora" in html
    historial = respuesta.context["historial"]
    assert [e.etiqueta for e in historial] == ["cambio", "alta"]
    assert {c.campo for c in historial[0].cambios} == {"Monto aprobado (CLP)", "Etapa"}
    assert "#c=proyectos-puntos" in html and f"s=proyectos-puntos:{proyecto.pk}" in html


def test_consulta_ve_lista_y_ficha_sin_botones_de_edicion(client, consulta, proyectos):
    client.force_login(consulta)
    assert client.get("/proyectos/").status_code == 200
    respuesta = client.get(f"/proyectos/{proyectos[0].pk}/")
    assert respuesta.context["puede_editar"] is False and respuesta.context["url_editar"] is None
    html = respuesta.content.decode()
    assert "Pavimentación calle Arturo Prat" in html
    assert 'id="btn-editar"' not in html and 'id="btn-eliminar"' not in html


def test_sin_permiso_de_ver_responde_403(client, django_user_model, proyectos):
    client.force_login(django_user_model.objects.create_user(username="sin_rol", password="x-clave-1"))
    assert client.get("/proyectos/").status_code == 403
    assert client.get(f"/proyectos/{proyectos[0].pk}/").status_code == 403
    assert client.get("/proyectos/exportar/", {"formato": "csv"}).status_code == 403


def test_ficha_usa_el_mapa_base_configurado(sesion, proyectos):
    from capas.mapas.models import MapaBase

    MapaBase.objects.create(
        nombre="calles",
        titulo="Calles",
        tipo="xyz",
        url="https://teselas.example.cl/{z}/{x}/{y}.png",
        por_omision=True,
    )
    html = sesion.get(f"/proyectos/{proyectos[0].pk}/").content.decode()
    assert "https://teselas.example.cl/{z}/{x}/{y}.png" in html
    assert "window.minimapaControl = layer_control_" in html


def test_paginacion_conserva_filtros(sesion, comuna, fuente):
    from tests.factories import ProyectoFactory

    ProyectoFactory.create_batch(30, comuna=comuna, fuente=fuente, etapa="idea")
    ProyectoFactory.create_batch(3, comuna=comuna, etapa="perfil")
    pagina_1 = sesion.get("/proyectos/", {"etapa": "idea", "orden": "nombre"})
    html = pagina_1.content.decode()
    assert "30 proyectos" in html and "Página 1 de 2" in html
    assert 'href="?etapa=idea&amp;orden=nombre&amp;pagina=2"' in html
    pagina_2 = sesion.get("/proyectos/", {"etapa": "idea", "orden": "nombre", "pagina": 2})
    assert len(pagina_2.context["filas"]) == 5


def test_exportar_en_un_formato_desconocido_responde_400_en_espanol(sesion, proyectos):
    respuesta = sesion.get("/proyectos/exportar/", {"formato": "pdf"})
    assert respuesta.status_code == 400
    assert "use csv o xlsx" in respuesta.content.decode()
    assert sesion.get("/proyectos/999999/").status_code == 404
