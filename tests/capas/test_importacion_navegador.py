"""En un navegador real: la barra avanza con la subida y la página del trabajo muestra el informe."""

import re
import threading

import pytest

from capas.models import CapaReferencia
from tests.conftest import COMUNAS_R09, usuario_de_servidor
from tests.navegador import pagina

pytestmark = pytest.mark.servidor


def test_subida_con_progreso_y_pagina_del_trabajo_que_muestra_el_informe(servidor, comuna, trabajador):
    usuario_de_servidor("ana", "una-clave-larga-9")
    avances = []
    with pagina(servidor) as p:
        # Sobrevive a la navegación: la barra de subida informa a Python cada avance.
        p.expose_function("anotarAvance", lambda valor: avances.append(valor))
        p.goto(f"{servidor}/ingresar/?next=/capas/importar/")
        p.fill("#id_username", "ana")
        p.fill("#id_password", "una-clave-larga-9")
        p.click("button[type=submit]")
        p.wait_for_selector("#formulario-importar")
        p.set_input_files("#id_archivo", str(COMUNAS_R09))
        p.fill("#id_nombre", "comunas-r09")
        p.fill("#id_titulo", "Comunas de La Araucanía")
        p.select_option("#id_categoria", "limite")
        p.evaluate(
            "() => { const b = document.getElementById('progreso-subida');"
            " new MutationObserver(() => window.anotarAvance(Number(b.getAttribute('value'))))"
            ".observe(b, {attributes: true, attributeFilter: ['value']}); }"
        )
        p.click("#formulario-importar button[type=submit]")
        p.wait_for_url(re.compile(r".*/capas/trabajos/\d+/$"))
        p.wait_for_selector("#trabajo")
        en_cola = p.inner_text("#trabajo")
        # Marca en window: sobrevive solo si el resultado llega sin recargar la página.
        p.evaluate("() => { window.marca = 1; }")
        # El trabajador arranca recién ahora: la página tiene que consultar el estado para verlo.
        hilo = threading.Thread(target=trabajador)
        hilo.start()
        try:
            p.wait_for_selector("#resultado", timeout=60_000)
        finally:
            hilo.join(timeout=60)
        resultado = p.inner_text("#resultado")
        marca = p.evaluate("() => window.marca")
        errores, externas, fallidas = p.errores, p.externas, p.fallidas

    assert errores == [] and externas == [] and fallidas == []
    assert "En cola…" in en_cola and marca == 1
    # El cuerpo multipart completo (archivo + campos) llegó al servidor según upload.onprogress.
    assert avances and max(avances) > COMUNAS_R09.stat().st_size, avances
    assert "Capa «comunas-r09» importada" in resultado and "32 de 32 leídos" in resultado
    assert CapaReferencia.objects.get(nombre="comunas-r09").n_elementos == 32
