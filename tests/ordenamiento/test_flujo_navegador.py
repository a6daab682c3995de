"""Flujo y comparación en Chromium real: el Director presenta desde la ficha y la comparación dibuja
lo agregado, lo quitado y lo común con sus colores."""

import pytest

from apps.nucleo.roles import DIRECTOR
from apps.ordenamiento import flujo
from apps.ordenamiento.services import propuesta_actualizar, propuesta_crear
from tests.conftest import usuario_de_servidor
from tests.navegador import CAPTURAS, pagina
from tests.ordenamiento.conftest import rectangulo_utm

pytestmark = pytest.mark.servidor

CLAVE = "una-clave-larga-9"


def test_director_presenta_y_compara_en_el_navegador(servidor, comuna):
    planificadora = usuario_de_servidor("plani", CLAVE)
    directora = usuario_de_servidor("dire", CLAVE, rol=DIRECTOR)
    propuesta = propuesta_crear(
        datos={
            "nombre": "Parque ribereño",
            "uso_propuesto": "area_verde",
            "justificacion": "Borde del río.",
            "geom": rectangulo_utm(0, 0, 100, 100),
        },
        actor=planificadora,
    )
    enviada = flujo.propuesta_enviar_a_revision(propuesta=propuesta, version=1, actor=planificadora)
    devuelta = flujo.propuesta_devolver(
        propuesta=enviada, version=2, actor=directora, observacion="Correr al este."
    )
    corregida = propuesta_actualizar(
        instancia=devuelta, datos={"geom": rectangulo_utm(50, 0, 100, 100)}, version=3, actor=planificadora
    )
    flujo.propuesta_enviar_a_revision(propuesta=corregida, version=4, actor=planificadora)
    primera = propuesta.etapas.order_by("pk").first().pk  # fuera del navegador (su bucle es asíncrono)
    with pagina(servidor) as p:
        consola = []
        p.on("console", lambda m: consola.append(m.text) if m.type == "error" else None)
        p.goto(f"{servidor}/ingresar/?next=/ordenamiento/propuestas/{propuesta.pk}/")
        p.fill("#id_username", "dire")
        p.fill("#id_password", CLAVE)
        p.click("button[type=submit]")
        p.wait_for_load_state()
        p.click("#accion-presentar")
        p.fill("#id_observacion", "Con informe vial.")
        p.click("#confirmar")
        p.wait_for_load_state()
        estado = p.locator("#estado-propuesta").inner_text()
        etapas = p.locator("#linea-de-tiempo li").count()
        p.locator("#titulo-flujo").scroll_into_view_if_needed()
        p.screenshot(path=str(CAPTURAS / "ordenamiento-flujo.png"))
        p.goto(f"{servidor}/ordenamiento/propuestas/{propuesta.pk}/comparar/?a={primera}&b=actual")
        p.wait_for_selector("#minimapa[data-listo='1']", state="attached", timeout=20_000)
        p.wait_for_timeout(300)
        rellenos = p.eval_on_selector_all(
            "#minimapa .leaflet-minimapa-registro-pane path", "ps => ps.map(e => e.getAttribute('fill'))"
        )
        agregada = p.locator("#area-agregada").inner_text()
        p.screenshot(path=str(CAPTURAS / "ordenamiento-comparar.png"), full_page=True)
    assert estado == "Presentada al Concejo" and etapas == 4
    assert sorted(rellenos) == sorted(["#adb5bd", "#dc3545", "#28a745"])
    assert agregada.startswith("5.000 m²")
    assert consola == []
