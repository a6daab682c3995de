"""En un navegador real: la barra de progreso avanza con la subida y el informe reemplaza la página."""

import pytest

from capas.models import CapaReferencia
from tests.conftest import COMUNAS_R09, usuario_de_servidor
from tests.navegador import pagina

pytestmark = pytest.mark.servidor


def test_subida_con_progreso_muestra_el_informe_sin_recargar(servidor, comuna):
    usuario_de_servidor("ana", "una-clave-larga-9")
    with pagina(servidor) as p:
        p.goto(f"{servidor}/ingresar/?next=/capas/importar/")
        p.fill("#id_username", "ana")
        p.fill("#id_password", "una-clave-larga-9")
        p.click("button[type=submit]")
        p.wait_for_selector("#formulario-importar")
        p.set_input_files("#id_archivo", str(COMUNAS_R09))
        p.fill("#id_nombre", "comunas-r09")
        p.fill("#id_titulo", "Comunas de La Araucanía")
        p.select_option("#id_categoria", "limite")
        # Marca en window: sobrevive solo si la respuesta llega por XMLHttpRequest (sin navegar).
        p.evaluate(
            "() => { window.marca = 1; window.avances = [];"
            " const b = document.getElementById('progreso-subida');"
            " new MutationObserver(() => window.avances.push(Number(b.getAttribute('value'))))"
            ".observe(b, {attributes: true, attributeFilter: ['value']}); }"
        )
        p.click("#formulario-importar button[type=submit]")
        p.wait_for_selector("#resultado")
        resultado = p.inner_text("#resultado")
        marca, avances = p.evaluate("() => [window.marca, window.avances]")
        errores, externas, fallidas = p.errores, p.externas, p.fallidas

    assert errores == [] and externas == [] and fallidas == []
    assert marca == 1
    # El cuerpo multipart completo (archivo + campos) llegó al servidor según upload.onprogress.
    assert avances and max(avances) > COMUNAS_R09.stat().st_size, avances
    assert "Capa «comunas-r09» importada" in resultado and "32 de 32 leídos" in resultado
    assert CapaReferencia.objects.get(nombre="comunas-r09").n_elementos == 32
