"""En un navegador real contra gunicorn: «Imprimir» lleva al trabajo, que muestra la hoja y baja el PDF."""

import os
import re
import threading

import pytest

from tests.capas.hojas_impresas import texto_pdf
from tests.conftest import RAIZ, _entorno_servidor, gunicorn_levantado, usuario_de_servidor
from tests.navegador import pagina

pytestmark = pytest.mark.servidor
# La captura de docs/ se renueva solo a pedido: cada corrida la cambiaría (hora, número del trabajo).
CAPTURA = RAIZ / "docs" / "capturas" / "impresion-trabajo.png"


def test_imprimir_desde_el_navegador_muestra_la_hoja_y_descarga_el_pdf(
    trabajador, datos, comuna, estaticos, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    usuario_de_servidor("ana", "una-clave-larga-9")
    entorno = {**_entorno_servidor(estaticos), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    bbox = ",".join(f"{v:.5f}" for v in comuna.limite.extent)
    with gunicorn_levantado(entorno, tmp_path / "gunicorn.log") as url, pagina(url) as p:
        p.goto(f"{url}/ingresar/?next=/capas/imprimir/")
        p.fill("#id_username", "ana")
        p.fill("#id_password", "una-clave-larga-9")
        p.click("button[type=submit]")
        # Como lo abriría el visor: la vista viene en la URL y el formulario la trae puesta.
        p.goto(
            f"{url}/capas/imprimir/?titulo=Proyectos+e+inmuebles&bbox={bbox}"
            "&capas=proyectos-puntos,inmuebles,limite-urbano-ine,comunas&permalink=http://127.0.0.1/mapa/"
        )
        assert p.input_value("#id_bbox") == bbox
        p.click("form.tarjeta button[type=submit]")
        p.wait_for_url(re.compile(r".*/capas/trabajos/\d+/$"))
        hilo = threading.Thread(target=trabajador)
        hilo.start()
        try:
            p.wait_for_selector("#resultado", timeout=90_000)
        finally:
            hilo.join(timeout=90)
        p.wait_for_function("() => document.querySelector('img.vista-previa').naturalWidth > 0")
        ancho_previa = p.evaluate("() => document.querySelector('img.vista-previa').naturalWidth")
        captura = CAPTURA if os.environ.get("TERRITORIO_CAPTURAS") == "1" else tmp_path / CAPTURA.name
        captura.parent.mkdir(exist_ok=True)
        p.screenshot(path=captura, full_page=True)
        with p.expect_download() as descarga:
            p.click("#descargar-pdf")
        ruta = tmp_path / "descargado.pdf"
        descarga.value.save_as(ruta)
        nombre = descarga.value.suggested_filename
        errores, externas, fallidas = p.errores, p.externas, p.fallidas

    assert errores == [] and externas == [] and fallidas == []
    assert ancho_previa == 1753 and captura.stat().st_size > 50_000
    assert nombre == "proyectos-e-inmuebles.pdf"
    texto = " ".join(texto_pdf(ruta.read_bytes()).split())
    assert "Proyectos e inmuebles" in texto and "Bienes inmuebles municipales" in texto
