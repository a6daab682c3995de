"""En un navegador real: una planificadora cambia el color de una capa importada en su página de estilo."""

import pytest

from capas.models import CapaReferencia
from tests.conftest import usuario_de_servidor
from tests.factories import CapaReferenciaFactory
from tests.navegador import CAPTURAS, pagina

pytestmark = pytest.mark.servidor


def test_planificadora_cambia_el_estilo_de_un_humedal(servidor, comuna):
    CapaReferenciaFactory(nombre="humedales-budi", titulo="Humedales del Budi", categoria="humedal")
    usuario_de_servidor("ana", "una-clave-larga-9")
    url = f"{servidor}/capas/referencia/humedales-budi/estilo/"
    with pagina(servidor) as p:
        p.goto(f"{servidor}/ingresar/?next=/capas/referencia/humedales-budi/estilo/")
        p.fill("#id_username", "ana")
        p.fill("#id_password", "una-clave-larga-9")
        p.click("button[type=submit]")
        p.wait_for_url(url)
        inicial = p.get_attribute("#muestra-estilo rect", "fill")
        p.fill("#id_relleno", "#aa3300")
        p.fill("#id_opacidad", "0.8")
        with p.expect_navigation():
            p.click("button[name=guardar]")
        mensaje = p.locator("[role=status]").inner_text()
        final = p.get_attribute("#muestra-estilo rect", "fill")
        opacidad = p.get_attribute("#muestra-estilo rect", "fill-opacity")
        CAPTURAS.mkdir(parents=True, exist_ok=True)
        p.screenshot(path=str(CAPTURAS / "estilo_capa_referencia.png"), full_page=True)
        leyenda = p.evaluate(
            "() => fetch('/capas/').then(r => r.json()).then(d =>"
            " d.capas.find(c => c.nombre === 'humedales-budi').leyenda[0].estilo)"
        )
        externas, errores = p.externas, p.errores
    assert externas == [] and errores == []
    assert inicial == "#00bfa5"  # el del humedal
    assert "Estilo de «Humedales del Budi» guardado." in mensaje
    assert (final, opacidad) == ("#aa3300", "0.80")
    assert (leyenda["fillColor"], leyenda["fillOpacity"]) == ("#aa3300", 0.8)
    capa = CapaReferencia.objects.get(nombre="humedales-budi")
    assert (capa.relleno, capa.opacidad) == ("#aa3300", 0.8)
