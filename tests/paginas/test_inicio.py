"""Tablero de inicio: conteos con plural que llevan a las listas, alertas y cambios recientes."""

from apps.patrimonio.services import concesion_actualizar
from apps.proyectos.services import proyecto_actualizar


def test_tablero_cuenta_con_plural_y_enlaza_las_listas(client, planificador, proyectos, patrimonio):
    client.force_login(planificador)
    respuesta = client.get("/")
    html = respuesta.content.decode()
    filas = {f["nombre"]: f for f in respuesta.context["resumen"]}
    assert filas["proyectos"]["texto"] == "3 proyectos"
    assert filas["activos"]["texto"] == "1 activo"
    assert filas["bienes inmuebles"]["texto"] == "2 bienes inmuebles"
    assert 'href="/proyectos/"' in html and 'href="/patrimonio/concesiones/"' in html
    assert 'id="minimapa"' in html and "minimapa.js" in html


def test_tablero_alerta_la_concesion_vencida_con_enlace(client, consulta, patrimonio):
    client.force_login(consulta)
    html = client.get("/").content.decode()
    vencida = patrimonio["vencida"]
    assert 'id="alertas"' in html
    assert "Vencida" in html
    assert f'href="/patrimonio/concesiones/{vencida.pk}/">Cafetería El Budi SpA' in html
    assert "Club Deportivo Hualpín</a>" not in html.split('id="recientes"')[0]  # vigente: sin alerta


def test_tablero_muestra_cambios_recientes_legibles(client, planificador, proyectos, patrimonio):
    proyecto = proyectos[0]
    proyecto_actualizar(
        instancia=proyecto,
        datos={"monto_aprobado": 150_000_000},
        version=proyecto.version,
        actor=planificador,
    )
    vigente = patrimonio["vigente"]
    concesion_actualizar(
        instancia=vigente, datos={"tipo": "concesion"}, version=vigente.version, actor=planificador
    )
    client.force_login(planificador)
    respuesta = client.get("/")
    # En la prueba todo ocurre en una transacción (misma hora): se buscan por modelo, no por orden.
    recientes = {r.modelo: r for r in respuesta.context["recientes"] if r.evento.etiqueta == "cambio"}
    assert recientes["concesión"].evento.usuario == "planificadora"
    assert recientes["concesión"].url == f"/patrimonio/concesiones/{vigente.pk}/"
    assert recientes["proyecto"].registro == str(proyecto)
    html = respuesta.content.decode()
    assert "Tipo: Comodato → Concesión" in html
    assert "Monto aprobado (CLP): $ 100.000.000 → $ 150.000.000" in html


def test_tablero_muestra_el_registro_eliminado_sin_enlace(client, planificador, proyectos):
    from apps.proyectos.services import proyecto_eliminar

    proyecto = proyectos[2]
    proyecto_eliminar(instancia=proyecto, version=proyecto.version, actor=planificador)
    client.force_login(planificador)
    respuesta = client.get("/")
    (baja,) = [r for r in respuesta.context["recientes"] if r.evento.etiqueta == "baja"]
    assert baja.registro == "Estudio de agua potable rural" and baja.url is None
    html = " ".join(respuesta.content.decode().split())
    assert 'Proyecto «Estudio de agua potable rural» <span class="nota">· Eliminó: <strong>' in html
