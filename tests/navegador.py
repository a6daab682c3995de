"""Navegador real para las páginas con mapa: Playwright con el Chromium de Debian (sin descargas)."""

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Las capturas de docs/ se renuevan con TERRITORIO_CAPTURAS=1; si no, van a una carpeta temporal
# (una corrida de pruebas no deja el árbol cambiado).
CAPTURAS = (
    Path(__file__).resolve().parents[1] / "docs" / "capturas"
    if os.environ.get("TERRITORIO_CAPTURAS") == "1"
    else Path(tempfile.gettempdir()) / "territorio-capturas"
)
CAPTURAS.mkdir(parents=True, exist_ok=True)

# Sin estas banderas Chromium intenta conectarse a servicios de Google (aquí no hay red).
BANDERAS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def ruta_chromium() -> str:
    """Devuelve la ruta del Chromium de Debian o falla con la instrucción para instalarlo."""
    ruta = shutil.which("chromium") or shutil.which("chromium-browser")
    if not ruta:
        pytest.fail("Falta Chromium: ./run test lo instala (apt-get install chromium).")
    return ruta


@contextlib.contextmanager
def pagina(url_base: str):
    """Abre una pestaña que anota peticiones fuera del servidor local, respuestas fallidas y errores JS."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=ruta_chromium(), headless=True, args=BANDERAS)
        contexto = navegador.new_context(locale="es-CL", viewport={"width": 1280, "height": 900})
        pestana = contexto.new_page()
        pestana.externas = []
        pestana.errores = []
        pestana.fallidas = []
        pestana.on(
            "response", lambda r: pestana.fallidas.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )
        pestana.on(
            "request",
            lambda r: (
                None if r.url.startswith((url_base, "data:", "blob:")) else pestana.externas.append(r.url)
            ),
        )
        pestana.on("pageerror", lambda e: pestana.errores.append(str(e)))
        try:
            yield pestana
        finally:
            navegador.close()
