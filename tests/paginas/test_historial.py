"""Historial legible: claves foráneas por nombre, fechas dd-mm-aaaa, quién y filtros inválidos."""

from datetime import date

from apps.nucleo.historial import historial_de
from apps.patrimonio.services import concesion_actualizar
from apps.proyectos.services import proyecto_actualizar
from tests.factories import ActivoFactory


def test_historial_escribe_fechas_y_registros_vinculados_como_persona(patrimonio, planificador):
    vigente = patrimonio["vigente"]
    otro_activo = ActivoFactory(inmueble=patrimonio["inmueble"], nombre="Multicancha techada", tipo="otro")
    concesion_actualizar(
        instancia=vigente,
        datos={"fecha_termino": date(2027, 12, 31), "activo": otro_activo, "titular_rut": "65123456-5"},
        version=vigente.version,
        actor=planificador,
    )
    ultimo, alta = historial_de(vigente)
    assert alta.accion == "Creó" and alta.cambios == ()
    assert ultimo.usuario == "planificadora" and ultimo.accion == "Modificó"
    cambios = {c.campo: (c.antes, c.despues) for c in ultimo.cambios}
    assert cambios["Fecha de término"] == ("—", "31-12-2027")
    assert cambios["Activo"] == ("Gimnasio Hualpín", "Multicancha techada")
    assert "RUT del titular" not in cambios  # normalizado, es el mismo RUT
    assert set(cambios) == {"Fecha de término", "Activo"}


def test_historial_de_proyecto_con_fuente_y_localidad_por_nombre(proyectos, planificador, fuente):
    proyecto = proyectos[2]
    proyecto_actualizar(
        instancia=proyecto, datos={"fuente": fuente}, version=proyecto.version, actor=planificador
    )
    (cambio,) = historial_de(proyecto)[0].cambios
    assert (cambio.campo, cambio.antes, cambio.despues) == ("Fuente de financiamiento", "—", str(fuente))


def test_filtro_invalido_no_muestra_todo_y_explica_en_espanol(client, planificador, proyectos):
    client.force_login(planificador)
    respuesta = client.get("/proyectos/", {"fuente": "999999", "orden": "nombre", "pagina": "x"})
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "0 proyectos" in html and "Pavimentación" not in html
    assert "Escoja una opción válida" in html
