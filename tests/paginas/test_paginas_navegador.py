"""Ficha con mini-mapa, lista y tablero en Chromium real, a 1366 px (portátil) y 390 px (teléfono).

Sin errores de consola ni pedidos fuera del servidor; nada se sale del ancho de la pantalla; el
mini-mapa dibuja el registro y sus capas de contexto. Las capturas quedan en ``CAPTURAS``.
"""

import pytest

from tests.conftest import usuario_de_servidor
from tests.navegador import CAPTURAS, pagina
from tests.visor.conftest import limpio

pytestmark = pytest.mark.servidor

CLAVE = "una-clave-larga-9"
ANCHOS = {"portatil": (1366, 768), "telefono": (390, 844)}


def _ingresar(p, servidor, destino):
    """Ingresa como «ana» y devuelve la lista de errores de consola."""
    consola = []
    p.on("console", lambda m: consola.append(f"{m.text} {m.location}") if m.type == "error" else None)
    p.goto(f"{servidor}/ingresar/?next={destino}")
    p.fill("#id_username", "ana")
    p.fill("#id_password", CLAVE)
    p.click("button[type=submit]")
    p.wait_for_load_state()
    return consola


def _mapa_listo(p):
    """Espera el mini-mapa con sus capas pedidas y dibujadas."""
    p.wait_for_selector("#minimapa[data-listo='1']", state="attached", timeout=20_000)
    p.wait_for_timeout(300)


@pytest.mark.parametrize("dispositivo", ANCHOS)
def test_ficha_lista_y_tablero_en_el_navegador(servidor, patrimonio, proyectos, propuestas, dispositivo):
    usuario_de_servidor("ana", CLAVE)
    ancho, alto = ANCHOS[dispositivo]
    inmueble = patrimonio["inmueble"]
    with pagina(servidor) as p:
        p.set_viewport_size({"width": ancho, "height": alto})
        consola = _ingresar(p, servidor, f"/patrimonio/inmuebles/{inmueble.pk}/")
        _mapa_listo(p)
        ficha_ancho = p.evaluate("document.documentElement.scrollWidth")
        mapa = p.locator("#minimapa").bounding_box()
        trazos = p.locator("#minimapa .leaflet-minimapa-registro-pane path").count()
        contexto = p.locator("#minimapa .leaflet-minimapa-contexto-pane path").count()
        historial = p.locator(".historial").inner_text()
        p.screenshot(path=str(CAPTURAS / f"paginas-ficha-inmueble-{dispositivo}.png"), full_page=True)

        p.click("#ver-en-mapa")
        p.wait_for_selector("#visor[data-listo='1']", state="attached", timeout=20_000)
        p.wait_for_timeout(500)
        visor = p.evaluate("location.pathname + location.hash")
        seleccion = p.evaluate("window.Visor.estado.seleccion")

        p.goto(f"{servidor}/patrimonio/concesiones/")
        lista_ancho = p.evaluate("document.documentElement.scrollWidth")
        tabla = p.locator(".tabla-lista").bounding_box()
        situaciones = p.locator(".tabla-lista .badge").all_inner_texts()
        p.screenshot(path=str(CAPTURAS / f"paginas-lista-concesiones-{dispositivo}.png"), full_page=True)

        p.goto(f"{servidor}/proyectos/?orden=-monto_solicitado")
        proyectos_ancho = p.evaluate("document.documentElement.scrollWidth")
        proyectos_tabla = p.locator(".tabla-lista table").bounding_box()
        p.screenshot(path=str(CAPTURAS / f"paginas-lista-proyectos-{dispositivo}.png"), full_page=True)

        p.goto(f"{servidor}/proyectos/{proyectos[0].pk}/")
        _mapa_listo(p)
        vecinos = p.locator("#minimapa .leaflet-minimapa-registro-pane path").count()
        p.screenshot(path=str(CAPTURAS / f"paginas-ficha-proyecto-{dispositivo}.png"), full_page=True)

        p.goto(f"{servidor}/patrimonio/concesiones/{patrimonio['vencida'].pk}/")
        _mapa_listo(p)
        alerta = p.locator("#alerta-situacion").inner_text()
        p.screenshot(path=str(CAPTURAS / f"paginas-ficha-concesion-{dispositivo}.png"), full_page=True)

        p.goto(f"{servidor}/patrimonio/activos/{patrimonio['gimnasio'].pk}/")
        _mapa_listo(p)
        concesiones_activo = p.locator("#tabla-concesiones").bounding_box()
        p.screenshot(path=str(CAPTURAS / f"paginas-ficha-activo-{dispositivo}.png"), full_page=True)
        p.goto(f"{servidor}/ordenamiento/propuestas/{propuestas[0].pk}/")
        _mapa_listo(p)
        propuesta_ancho = p.evaluate("document.documentElement.scrollWidth")
        p.screenshot(path=str(CAPTURAS / f"paginas-ficha-propuesta-{dispositivo}.png"), full_page=True)

        p.goto(f"{servidor}/")
        _mapa_listo(p)
        tablero_ancho = p.evaluate("document.documentElement.scrollWidth")
        alertas = p.locator("#alertas").inner_text()
        dominio = p.locator("#minimapa .leaflet-minimapa-dominio-pane path").count()
        p.screenshot(path=str(CAPTURAS / f"paginas-tablero-{dispositivo}.png"), full_page=True)
        limpio(p, consola)

    assert (
        ficha_ancho <= ancho and lista_ancho <= ancho and tablero_ancho <= ancho and propuesta_ancho <= ancho
    )
    assert tabla["width"] <= ancho and proyectos_ancho <= ancho
    assert proyectos_tabla["width"] <= ancho  # la tabla cabe sin desplazamiento lateral
    assert concesiones_activo["x"] + concesiones_activo["width"] <= ancho  # la situación se ve entera
    assert vecinos == 2  # el proyecto y su vecino a ~170 m (el de a varios km no)
    assert mapa["height"] > 250
    # El inmueble resaltado y sus dos concesiones (polígonos) más el gimnasio (círculo).
    assert trazos >= 4
    assert contexto >= 1  # el límite de la comuna
    assert "Historial de cambios" in historial and "creó el registro" in historial
    # «Ver en el mapa» abre el visor con las capas del patrimonio y el inmueble seleccionado.
    capas = dict(par.split("=", 1) for par in visor.split("#", 1)[1].split("&"))["c"]
    assert visor.startswith("/mapa/#") and set(capas.split(",")) == {"inmuebles", "activos", "concesiones"}
    assert seleccion == {"capa": "inmuebles", "id": str(inmueble.pk)}
    assert alerta.startswith("Vencida")
    assert sorted(situaciones) == ["Vencida", "Vigente"]
    assert "Vencida" in alertas and "Cafetería El Budi SpA" in alertas
    assert dominio >= 3  # inmuebles, concesiones y proyectos de la comuna
