"""Edición con mapa en un navegador real (Chromium de Debian) contra gunicorn como en producción.

Un planificador crea un proyecto dibujando su punto, edita el polígono de una propuesta (queda
auditado), ve un anillo inválido rechazado en su lugar sin guardar nada, y choca con otra edición
desde un segundo contexto; Consulta no ve herramientas de edición. Capturas en la carpeta de capturas.
"""

import json

import pytest

from apps.ordenamiento.models import PropuestaUsoSuelo
from apps.proyectos.models import Proyecto
from tests.edicion.conftest import CLAVE, clic_mapa, en_pantalla, entrar, mapa_listo, usuarios
from tests.factories import CENTRO, cuadrado
from tests.navegador import BANDERAS, CAPTURAS, pagina
from tests.visor.conftest import limpio

pytestmark = pytest.mark.servidor
LON, LAT = CENTRO
ESCRITORIO = {"width": 1366, "height": 768}


def propuesta(comuna, nombre="Parque ribereño Hualpín"):
    return PropuestaUsoSuelo.objects.create(
        comuna=comuna,
        nombre=nombre,
        uso_propuesto="area_verde",
        justificacion="Borde del río.",
        geom=cuadrado(),
    )


def sin_ficha(p, consola, prefijo):
    """Quita los 404 de la ficha a la que se redirige (la hace otro módulo; puede no existir aún)."""
    # Sin la ficha, la página de error 404 de Django no declara ícono y Chromium pide /favicon.ico.
    ajenas = (prefijo, "/favicon.ico")
    p.fallidas = [f for f in p.fallidas if not (f.startswith("404 ") and any(a in f for a in ajenas))]
    consola[:] = [c for c in consola if not ("404" in c and any(a in c for a in ajenas))]


def test_planificador_crea_un_proyecto_dibujando_su_punto(servidor, comuna):
    usuarios()
    with pagina(servidor) as p:
        p.set_viewport_size(ESCRITORIO)
        consola = entrar(p, servidor, "ana", "/proyectos/nuevo/")
        mapa_listo(p)
        p.fill("#id_nombre", "Plaza activa Hualpín")
        p.select_option("#id_tipologia", "proyecto")
        p.select_option("#id_etapa", "diseno")
        p.select_option("#id_institucion", "municipal")
        p.fill("#id_monto_solicitado", "150.000.000")
        p.evaluate("([lat, lon]) => Dibujo.mapa.setView([lat, lon], 17, {animate: false})", [LAT, LON])
        p.wait_for_timeout(300)
        p.get_by_role("button", name="Dibujar punto").click()
        clic_mapa(p, LON + 0.0003, LAT + 0.0002)
        geojson = json.loads(p.input_value("#id_geom"))
        medida = p.inner_text("#dibujo-medida")
        p.screenshot(path=str(CAPTURAS / "edicion-proyecto-punto.png"))
        with p.expect_navigation():
            p.get_by_role("button", name="Guardar").click()
        url = p.url
        sin_ficha(p, consola, "/proyectos/")
        limpio(p, consola)
    proyecto = Proyecto.objects.get(nombre="Plaza activa Hualpín")
    assert geojson["type"] == "Point"
    assert "Punto en lat -38,99" in medida
    assert url.endswith(f"/proyectos/{proyecto.pk}/")
    assert proyecto.monto_solicitado == 150_000_000
    assert proyecto.geom.distance(proyecto.geom.__class__(LON + 0.0003, LAT + 0.0002, srid=4326)) < 2e-5
    assert proyecto.events.get().pgh_context.metadata["user"] is not None


def test_planificador_edita_el_poligono_de_una_propuesta_y_queda_auditado(servidor, comuna):
    usuarios()
    registro = propuesta(comuna)
    with pagina(servidor) as p:
        p.set_viewport_size(ESCRITORIO)
        consola = entrar(p, servidor, "ana", f"/ordenamiento/propuestas/{registro.pk}/editar/")
        mapa_listo(p)
        antes = p.inner_text("#dibujo-medida")
        p.get_by_role("button", name="Editar vértices").click()
        p.wait_for_timeout(300)
        # Arrastra la esquina noreste 0,0005° más al noreste.
        x, y = en_pantalla(p, LON + 0.001, LAT + 0.001)
        x2, y2 = en_pantalla(p, LON + 0.0015, LAT + 0.0015)
        caja = p.locator("#id_geom-map").bounding_box()
        p.mouse.move(caja["x"] + x, caja["y"] + y)
        p.mouse.down()
        p.mouse.move(caja["x"] + (x + x2) / 2, caja["y"] + (y + y2) / 2, steps=5)
        p.mouse.move(caja["x"] + x2, caja["y"] + y2, steps=5)
        p.mouse.up()
        p.wait_for_timeout(300)
        despues = p.inner_text("#dibujo-medida")
        p.screenshot(path=str(CAPTURAS / "edicion-propuesta-vertice.png"))
        with p.expect_navigation():
            p.get_by_role("button", name="Guardar").click()
        sin_ficha(p, consola, "/ordenamiento/propuestas/")
        limpio(p, consola)
    registro.refresh_from_db()
    assert antes.startswith("Área: ") and despues.startswith("Área: ") and antes != despues
    assert registro.geom.extent[2] == pytest.approx(LON + 0.0015, abs=3e-5)
    assert registro.geom.extent[3] == pytest.approx(LAT + 0.0015, abs=3e-5)
    evento = registro.events.order_by("-pgh_id").first()
    assert evento.pgh_label == "cambio"
    assert evento.pgh_context.metadata["origen"] == "propuesta_actualizar"


def test_anillo_invalido_se_rechaza_en_su_lugar_sin_guardar(servidor, comuna):
    usuarios()
    antes = PropuestaUsoSuelo.objects.count()
    corbatin = {
        "type": "Polygon",
        "coordinates": [
            [[LON, LAT], [LON + 0.002, LAT + 0.002], [LON + 0.002, LAT], [LON, LAT + 0.002], [LON, LAT]]
        ],
    }
    with pagina(servidor) as p:
        p.set_viewport_size(ESCRITORIO)
        consola = entrar(p, servidor, "ana", f"/ordenamiento/propuestas/nuevo/?centro={LON},{LAT}&zoom=16")
        mapa_listo(p)
        centro = p.evaluate(
            "(() => { const c = Dibujo.mapa.getCenter(); return [c.lng, c.lat, Dibujo.mapa.getZoom()]; })()"
        )
        # Dibujando, Geoman no deja cerrar un corbatín: el vértice que cruza el borde no se agrega.
        p.get_by_role("button", name="Agregar polígono").click()
        for lon, lat in corbatin["coordinates"][0][:4]:
            clic_mapa(p, lon, lat)
        clic_mapa(p, LON, LAT)
        dibujado = p.input_value("#id_geom")
        p.get_by_role("button", name="Borrar dibujo").click()
        # El servidor valida igual lo que llegue (p. ej. de otra herramienta): el corbatín se rechaza.
        p.fill("#id_nombre", "Corbatín")
        p.select_option("#id_uso_propuesto", "area_verde")
        p.fill("#id_justificacion", "Prueba de anillo inválido.")
        p.evaluate("(g) => { document.getElementById('id_geom').value = JSON.stringify(g); }", corbatin)
        with p.expect_navigation():
            p.get_by_role("button", name="Guardar").click()
        mapa_listo(p)
        error = p.inner_text("#dibujo-error")
        marca = p.inner_text(".leaflet-tooltip")
        nombre = p.input_value("#id_nombre")
        p.screenshot(path=str(CAPTURAS / "edicion-anillo-invalido.png"))
        limpio(p, consola)
    assert centro[0] == pytest.approx(LON, abs=1e-4) and centro[1] == pytest.approx(LAT, abs=1e-4)
    assert centro[2] == 16
    assert (
        dibujado == ""
        or json.loads(dibujado)["type"] != "Polygon"
        or PropuestaUsoSuelo.objects.count() == antes
    )
    assert "Geometría inválida: autointersección en lon -73.08" in error
    assert "Aquí está el problema" in marca
    assert nombre == "Corbatín"
    assert PropuestaUsoSuelo.objects.count() == antes


def test_conflicto_desde_un_segundo_contexto_muestra_quien_y_permite_recargar(servidor, comuna):
    usuarios()
    registro = propuesta(comuna, "Huerto comunitario")
    ruta = f"/ordenamiento/propuestas/{registro.pk}/editar/"
    with pagina(servidor) as p:
        p.set_viewport_size(ESCRITORIO)
        consola = entrar(p, servidor, "berta", ruta)
        mapa_listo(p)
        # Ana abre el mismo registro en otro contexto (otra sesión) y guarda primero.
        otro = p.context.browser.new_context(locale="es-CL", viewport=ESCRITORIO)
        q = otro.new_page()
        entrar(q, servidor, "ana", ruta)
        mapa_listo(q)
        q.fill("#id_nombre", "Huerto comunitario Las Rosas")
        with q.expect_navigation():
            q.get_by_role("button", name="Guardar").click()
        otro.close()
        p.fill("#id_nombre", "Huerto y vivero comunitario")
        with p.expect_response(lambda r: r.request.method == "POST") as respuesta:
            p.get_by_role("button", name="Guardar").click()
        estado = respuesta.value.status
        p.wait_for_selector("#conflicto")
        mapa_listo(p)
        aviso = p.inner_text("#conflicto")
        referencia = p.locator("path.dibujo-version-actual").count()
        medida = p.inner_text("#dibujo-medida")
        escrito = p.input_value("#id_nombre")
        p.screenshot(path=str(CAPTURAS / "edicion-conflicto.png"), full_page=True)
        p.get_by_role("link", name="Recargar la versión actual").click()
        mapa_listo(p)
        recargado = p.input_value("#id_nombre")
        p.fallidas = [f for f in p.fallidas if not f.startswith("409 ")]
        consola[:] = [c for c in consola if "409 (Conflict)" not in c]
        limpio(p, consola)
    assert estado == 409
    assert "ana" in aviso and "Otro usuario cambió este registro" in aviso
    assert "Huerto comunitario Las Rosas" in aviso and "Huerto y vivero comunitario" in aviso
    assert escrito == "Huerto y vivero comunitario"
    assert referencia == 1 and "morada punteada" in aviso
    # El mapa mide en el UTM de la comuna, como el servidor: la misma cifra en la tabla y bajo el mapa.
    assert "Polígono, 9.616 m² (0,96 ha)" in aviso and medida.startswith("Área: 9.616 m²")
    assert recargado == "Huerto comunitario Las Rosas"
    registro.refresh_from_db()
    assert registro.nombre == "Huerto comunitario Las Rosas"


def test_consulta_no_ve_herramientas_y_el_planificador_dibuja_desde_el_visor(servidor, comuna):
    usuarios()
    with pagina(servidor) as p:
        p.set_viewport_size(ESCRITORIO)
        entrar(p, servidor, "concejal", "/mapa/")
        p.wait_for_selector("#visor[data-listo='1']", state="attached", timeout=20_000)
        botones_consulta = p.locator("#btn-dibujar-propuesta").count()
        texto_visor = p.inner_text(".visor-barra")
        respuesta = p.goto(f"{servidor}/ordenamiento/propuestas/nuevo/")
        estado_consulta = respuesta.status
        herramientas_consulta = p.locator(".dibujo-barra").count()
    with pagina(servidor) as p:
        p.set_viewport_size(ESCRITORIO)
        consola = entrar(p, servidor, "ana", "/mapa/")
        p.wait_for_selector("#visor[data-listo='1']", state="attached", timeout=20_000)
        p.evaluate("([lat, lon]) => Visor.mapa.setView([lat, lon], 15, {animate: false})", [LAT, LON])
        p.wait_for_timeout(300)
        assert p.evaluate("Visor.mapa.getZoom()") == 15  # nada pisó la vista pedida
        p.screenshot(path=str(CAPTURAS / "edicion-visor-boton.png"))
        with p.expect_navigation():
            p.click("#btn-dibujar-propuesta")
        mapa_listo(p)
        url = p.url
        centro = p.evaluate(
            "(() => { const c = Dibujo.mapa.getCenter(); return [c.lng, c.lat, Dibujo.mapa.getZoom()]; })()"
        )
        limpio(p, consola)
    assert botones_consulta == 0 and "Dibujar" not in texto_visor
    assert estado_consulta == 403 and herramientas_consulta == 0
    assert "/ordenamiento/propuestas/nuevo/?centro=" in url and "zoom=15" in url
    assert centro[0] == pytest.approx(LON, abs=1e-4) and centro[2] == 15


def test_el_dibujo_se_ajusta_al_vecino_y_mide_en_vivo(servidor, comuna):
    usuarios()
    propuesta(comuna, "Vecina")  # cuadrado de 0,001° con esquina suroeste en CENTRO
    with pagina(servidor) as p:
        p.set_viewport_size(ESCRITORIO)
        consola = entrar(p, servidor, "ana", "/ordenamiento/propuestas/nuevo/")
        mapa_listo(p)
        p.screenshot(path=str(CAPTURAS / "edicion-propuesta-nueva-comuna.png"))
        p.evaluate(
            "([lat, lon]) => Dibujo.mapa.setView([lat, lon], 16, {animate: false})",
            [LAT + 0.001, LON + 0.001],
        )
        p.wait_for_timeout(300)
        p.get_by_role("button", name="Agregar polígono").click()
        caja = p.locator("#id_geom-map").bounding_box()

        def mover(lon, lat, dx=0, dy=0):
            x, y = en_pantalla(p, lon, lat)
            p.mouse.move(caja["x"] + x + dx, caja["y"] + y + dy, steps=3)
            return caja["x"] + x + dx, caja["y"] + y + dy

        # Primer vértice a ~3 px de la esquina noreste de la vecina: debe quedar exactamente en ella.
        p.mouse.click(*mover(LON + 0.001, LAT + 0.001, 3, -2))
        p.wait_for_timeout(250)
        mover(LON + 0.0015, LAT + 0.0012)
        en_vivo_linea = p.inner_text("#dibujo-medida")
        clic_mapa(p, LON + 0.002, LAT + 0.001)
        mover(LON + 0.002, LAT + 0.0015)
        en_vivo_area = p.inner_text("#dibujo-medida")
        clic_mapa(p, LON + 0.002, LAT + 0.002)
        p.get_by_role("button", name="Terminar").click()
        p.wait_for_timeout(250)
        geojson = json.loads(p.input_value("#id_geom"))
        final = p.inner_text("#dibujo-medida")
        p.screenshot(path=str(CAPTURAS / "edicion-ajuste-vecino.png"))
        limpio(p, consola)
    assert en_vivo_linea.startswith("Longitud: ") and " m" in en_vivo_linea
    assert en_vivo_area.startswith("Área: ") and "Perímetro" in en_vivo_area
    assert final.startswith("Área: ")
    assert geojson["type"] == "MultiPolygon"
    primero = geojson["coordinates"][0][0][0]
    assert primero == pytest.approx([LON + 0.001, LAT + 0.001], abs=1e-9)


def test_se_dibuja_con_el_teclado(servidor, comuna):
    usuarios()
    with pagina(servidor) as p:
        p.set_viewport_size(ESCRITORIO)
        consola = entrar(p, servidor, "ana", f"/proyectos/nuevo/?centro={LON},{LAT}&zoom=16")
        mapa_listo(p)
        p.focus("[data-forma=Line]")
        p.keyboard.press("Enter")  # activa «Dibujar línea» y enfoca el mapa
        p.keyboard.press("Enter")  # primer vértice en la mira (centro)
        for _ in range(3):
            p.keyboard.press("ArrowRight")  # mueve el mapa hacia el este
        p.wait_for_timeout(600)
        p.keyboard.press("Enter")
        medida = p.inner_text("#dibujo-medida")
        p.screenshot(path=str(CAPTURAS / "edicion-teclado.png"))
        p.focus("[data-accion=terminar]")
        p.keyboard.press("Enter")
        p.wait_for_timeout(200)
        geojson = json.loads(p.input_value("#id_geom"))
        limpio(p, consola)
    assert geojson["type"] == "LineString" and len(geojson["coordinates"]) == 2
    (lon1, lat1), (lon2, lat2) = geojson["coordinates"]
    assert lon1 == pytest.approx(LON, abs=1e-4) and lat1 == pytest.approx(LAT, abs=1e-4)
    assert lon2 > lon1 + 0.001 and lat2 == pytest.approx(lat1, abs=1e-5)
    assert medida.startswith("Longitud: ")


def test_concesion_con_rut_malo_y_eliminar_lo_protegido(servidor, comuna):
    usuarios()
    from tests.factories import ActivoFactory, BienInmuebleFactory

    inmueble = BienInmuebleFactory(comuna=comuna, nombre="Estadio El Budi")
    activo = ActivoFactory(inmueble=inmueble, comuna=comuna, nombre="Cafetería del estadio")
    with pagina(servidor) as p:
        p.set_viewport_size(ESCRITORIO)
        consola = entrar(p, servidor, "ana", "/patrimonio/concesiones/nuevo/")
        mapa_listo(p)
        p.select_option("#id_activo", str(activo.pk))
        p.select_option("#id_tipo", "arriendo")
        p.fill("#id_titular_nombre", "Cafetería El Budi SpA")
        p.fill("#id_titular_rut", "76.086.428-1")
        p.fill("#id_fecha_inicio", "01-03-2026")
        p.fill("#id_canon_clp", "350.000")
        with p.expect_navigation():
            p.get_by_role("button", name="Guardar").click()
        mapa_listo(p)
        error_rut = p.inner_text("#id_titular_rut ~ .invalid-feedback")
        canon = p.input_value("#id_canon_clp")
        p.screenshot(path=str(CAPTURAS / "edicion-concesion-rut.png"), full_page=True)
        p.goto(f"{servidor}/patrimonio/inmuebles/{inmueble.pk}/eliminar/")
        with p.expect_navigation():
            p.get_by_role("button", name="Sí, eliminar").click()
        error_eliminar = p.inner_text("#error-eliminar")
        p.screenshot(path=str(CAPTURAS / "edicion-eliminar-protegido.png"))
        limpio(p, consola)
    assert "no es un RUT válido" in error_rut
    assert canon == "350.000"
    assert "No se puede eliminar" in error_eliminar and "Cafetería del estadio" in error_eliminar


def test_formulario_en_telefono(servidor, comuna):
    usuarios()
    registro = propuesta(comuna)
    with pagina(servidor) as p:
        p.set_viewport_size({"width": 390, "height": 844})
        consola = entrar(p, servidor, "ana", f"/ordenamiento/propuestas/{registro.pk}/editar/")
        mapa_listo(p)
        p.locator("#id_geom-map").scroll_into_view_if_needed()
        caja = p.locator("#id_geom-map").bounding_box()
        ancho_pagina = p.evaluate("document.documentElement.scrollWidth")
        p.screenshot(path=str(CAPTURAS / "edicion-telefono.png"), full_page=True)
        limpio(p, consola)
    assert caja["width"] > 300 and caja["height"] > 300
    assert ancho_pagina <= 390


assert CLAVE and BANDERAS
