"""Tiempo de imprimir la comuna entera con la demo y con el nivel S (5.000 predios y 2.003 restricciones).

Lenta (genera el nivel S): solo corre con TERRITORIO_MEDIR_IMPRESION=1 y deja las cifras en la salida
(``-s``). Ver docs/impresion.md § Tiempos medidos.
"""

import os
import time

import pytest
from django.utils import timezone

from bench.datos import capas_restriccion, esperado, generar
from capas.mapas import impresion
from capas.registro import registro

pytestmark = pytest.mark.skipif(
    os.environ.get("TERRITORIO_MEDIR_IMPRESION") != "1", reason="medición lenta: TERRITORIO_MEDIR_IMPRESION=1"
)
# Tope holgado (máquina de 2 núcleos compartida): una impresión no debe acercarse al límite del trabajo.
TOPE_S = 30.0


def imprimir_y_medir(nombre: str, bbox, tmp_path) -> dict:
    """Imprime la vista con todas las capas del visor y devuelve tiempos, tamaños y elementos por capa."""
    capas = tuple(registro.para_visor(todas=True))
    hoja = impresion.Hoja(
        titulo=nombre,
        bbox=bbox,
        capas=capas,
        autor="medición",
        fecha=timezone.localtime(),
        permalink="http://127.0.0.1:8000/mapa/",
    )
    inicio = time.perf_counter()
    compuesta = impresion.hoja_componer(hoja)
    compuesto = time.perf_counter()
    pdf, png = tmp_path / f"{nombre}.pdf", tmp_path / f"{nombre}.png"
    impresion.hoja_guardar(compuesta, hoja, pdf=pdf, png=png)
    fin = time.perf_counter()
    medida = {
        "componer_s": compuesto - inicio,
        "guardar_s": fin - compuesto,
        "total_s": fin - inicio,
        "pdf_kb": pdf.stat().st_size / 1000,
        "png_kb": png.stat().st_size / 1000,
        "escala": compuesta.marco.escala,
        "elementos": {d.capa.nombre: d.elementos for d in compuesta.dibujadas},
    }
    print(f"MEDICIÓN {nombre}: {medida}")
    return medida


def test_imprimir_la_comuna_con_la_demo_y_con_el_nivel_s(datos, comuna, tmp_path):
    bbox = comuna.limite.extent
    imprimir_y_medir("calentamiento", bbox, tmp_path)
    demo = imprimir_y_medir("demo", bbox, tmp_path)
    assert demo["total_s"] < TOPE_S and demo["elementos"]["inmuebles"] > 0
    generar(limite=comuna.limite, srid_metrico=comuna.srid_metrico, nivel="S")
    nivel = imprimir_y_medir("nivel-s", bbox, tmp_path)
    cuentas = esperado("S")
    assert nivel["elementos"]["bench-predios"] == cuentas["bench-predios"] == 5000
    restricciones = sum(nivel["elementos"][c] for c in capas_restriccion())
    assert restricciones == sum(cuentas[c] for c in capas_restriccion()) == 2003
    assert nivel["total_s"] < TOPE_S
