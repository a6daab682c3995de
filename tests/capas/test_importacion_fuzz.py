"""Fuzzing de la importación: copias dañadas de cada archivo real se importan o se rechazan limpio.

Cada archivo de ``../shared/data/real`` se muta de cinco maneras con semilla fija (bits cambiados en
la cabecera, bytes al azar en el cuerpo, truncado, un bloque en ceros y números hostiles como 1e308)
y pasa por el mismo servicio que usa la web (``capa_importar`` / ``raster_importar``). Cada copia se
importa o se rechaza con ``ImportacionRechazada`` en español; nunca otra excepción, y un rechazo no
deja filas, ni archivos en MEDIA_ROOT, ni nada en el directorio temporal.
"""

import random
import re
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from capas.importacion.informe import ImportacionRechazada
from capas.importacion.raster import raster_importar
from capas.importacion.vectorial import capa_importar
from capas.models import CapaRaster, CapaReferencia, ElementoReferencia
from capas.trabajos.models import EstadoTrabajo, Trabajo
from tests.conftest import DATOS_REALES

REALES = sorted(p for p in DATOS_REALES.iterdir() if p.is_file() and p.name != "README.md")
CABECERA = 512
# Números hostiles que reemplazan coordenadas y valores en los archivos de texto; todos son JSON
# válido (1e400 se desborda a infinito al leerlo), así que el archivo llega hasta las geometrías.
HOSTILES = [b"1e308", b"-1e308", b"1e-320", b"0", b"180.000001", b"-90.5", b"1e400", b"123456789.5"]
_RE_NUMERO = re.compile(rb"-?\d+\.\d+")
# Tope de la suite completa (los 23 archivos × 5 copias): medido ~40 s en una máquina de 2 núcleos.
TOPE_POR_ARCHIVO_S = 30


def mutaciones(datos: bytes, semilla: str) -> list[tuple[str, bytes]]:
    """Devuelve cinco copias dañadas de ``datos``, siempre las mismas para la misma semilla."""
    azar = random.Random(semilla)
    n = len(datos)
    cabecera = bytearray(datos)
    for _ in range(8):
        cabecera[azar.randrange(min(n, CABECERA))] ^= 1 << azar.randrange(8)
    cuerpo = bytearray(datos)
    for _ in range(16):
        cuerpo[azar.randrange(min(CABECERA, n - 1), n)] = azar.randrange(256)
    ceros = bytearray(datos)
    inicio = azar.randrange(n)
    ceros[inicio : inicio + 4096] = bytes(len(ceros[inicio : inicio + 4096]))
    return [
        ("cabecera", bytes(cabecera)),
        ("cuerpo", bytes(cuerpo)),
        ("truncado", datos[: azar.randrange(n // 4, n)]),
        ("ceros", bytes(ceros)),
        ("numeros", _numeros_hostiles(datos, azar)),
    ]


def _numeros_hostiles(datos: bytes, azar: random.Random) -> bytes:
    """Devuelve ``datos`` con una docena de números decimales reemplazados por valores hostiles."""
    numeros = list(_RE_NUMERO.finditer(datos[:2_000_000]))
    elegidos = {m.start() for m in azar.sample(numeros, min(12, len(numeros)))}

    def reemplazo(m):
        return azar.choice(HOSTILES) if m.start() in elegidos else m.group()

    resultado = _RE_NUMERO.sub(reemplazo, datos)
    # Un binario sin decimales legibles (o con pocos) se daña igual: un byte invertido al medio.
    if resultado == datos:
        copia = bytearray(datos)
        copia[len(copia) // 2] ^= 0xFF
        resultado = bytes(copia)
    return resultado


@pytest.fixture
def temporal_propio(monkeypatch, tmp_path):
    """Aísla el directorio temporal del proceso (otras suites comparten /tmp) y lo devuelve."""
    directorio = tmp_path / "tmp"
    directorio.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directorio))
    return directorio


@pytest.fixture
def media(settings, tmp_path):
    """Devuelve un MEDIA_ROOT vacío para la prueba."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _filas() -> tuple[int, int, int]:
    return CapaReferencia.objects.count(), ElementoReferencia.objects.count(), CapaRaster.objects.count()


def _archivos(directorio: Path) -> list[Path]:
    return sorted(p for p in directorio.rglob("*")) if directorio.exists() else []


def _importar(ruta: Path, nombre: str):
    """Llama al servicio que corresponde a la extensión, como lo hace la vista de importación."""
    if ruta.suffix == ".tif":
        return raster_importar(ruta=ruta, nombre=nombre, titulo=nombre, confirmar_fuera=True)
    # Un CSV sin CRS declarado se rechazaría antes de leer: con --srid se llega hasta el lector.
    srid = 4326 if ruta.suffix == ".csv" else None
    return capa_importar(
        ruta=ruta, nombre=nombre, titulo=nombre, categoria="referencia", srid=srid, confirmar_fuera=True
    )


@pytest.mark.parametrize("original", REALES, ids=[p.name for p in REALES])
def test_copias_danadas_se_importan_o_se_rechazan_sin_dejar_nada(
    original, comuna, media, temporal_propio, tmp_path
):
    inicio = time.monotonic()
    resultados = []
    for i, (tipo, datos) in enumerate(mutaciones(original.read_bytes(), original.name)):
        ruta = tmp_path / f"copia{original.suffix}"
        ruta.write_bytes(datos)
        antes, media_antes = _filas(), _archivos(media)
        try:
            capa = _importar(ruta, f"copia-{i}")
        except ImportacionRechazada as rechazo:
            assert rechazo.mensaje and "Traceback" not in rechazo.mensaje, tipo
            assert _filas() == antes, f"{tipo}: un rechazo dejó filas"
            assert _archivos(media) == media_antes, f"{tipo}: un rechazo dejó archivos en MEDIA_ROOT"
            resultados.append((tipo, rechazo.mensaje[:150]))
        else:
            assert capa.pk and capa.nombre == f"copia-{i}"
            resultados.append((tipo, "importada"))
        assert list(temporal_propio.iterdir()) == [], f"{tipo}: quedaron temporales"
    assert len(resultados) == 5
    assert time.monotonic() - inicio < TOPE_POR_ARCHIVO_S


def test_mutaciones_son_reproducibles():
    datos = bytes(range(256)) * 40
    assert mutaciones(datos, "srtm.tif") == mutaciones(datos, "srtm.tif")
    assert mutaciones(datos, "srtm.tif") != mutaciones(datos, "otro.tif")
    assert all(copia != datos for _tipo, copia in mutaciones(datos, "srtm.tif"))


# Archivos que el formulario web recibe tal cual (la web hace lo mismo que el servicio: esta prueba
# solo comprueba la respuesta HTTP; se porta sola si la importación pasa a un trabajo en segundo plano).
WEB = ["srtm3_volcan_villarrica.tif", "naturalearth_populated_places_araucania.geojson"]
WEB += ["dga_subsubcuencas_bna_araucania.gpkg"]


@pytest.mark.parametrize("nombre", WEB)
def test_formulario_web_con_copias_danadas_termina_o_se_rechaza_sin_5xx(
    nombre, client, planificador, comuna, media, trabajador
):
    # La web encola cada copia (303 a la página del trabajo) y el trabajador real las corre: cada una
    # termina o se rechaza con su motivo en español; ninguna muere ni deja filas si se rechaza.
    client.force_login(planificador)
    original = DATOS_REALES / nombre
    paginas = []
    for i, (tipo, datos) in enumerate(mutaciones(original.read_bytes(), original.name)):
        archivo = SimpleUploadedFile(f"copia{original.suffix}", datos, "application/octet-stream")
        formulario = {"archivo": archivo, "nombre": f"web-{i}", "titulo": "Copia", "categoria": "referencia"}
        if original.suffix == ".tif":
            formulario["categoria"] = "raster"
        respuesta = client.post("/capas/importar/", {**formulario, "confirmar_fuera": "on"})
        assert respuesta.status_code in (303, 400), (tipo, respuesta.status_code)
        if respuesta.status_code == 400:
            assert "No se importó nada" in respuesta.content.decode(), tipo
        else:
            paginas.append((tipo, f"web-{i}", respuesta["Location"]))
    trabajador(concurrencia=2)
    for tipo, capa, pagina in paginas:
        assert client.get(pagina).status_code == 200, tipo
        trabajo = Trabajo.objects.get(pk=int(pagina.rstrip("/").rsplit("/", 1)[1]))
        assert trabajo.estado in (EstadoTrabajo.TERMINADO, EstadoTrabajo.FALLIDO), tipo
        existe = (
            CapaReferencia.objects.filter(nombre=capa).exists()
            or CapaRaster.objects.filter(nombre=capa).exists()
        )
        if trabajo.estado == EstadoTrabajo.FALLIDO:
            # Un rechazo con motivo, no una muerte del proceso (el equivalente de un 500).
            assert trabajo.resultado.get("motivo") == "rechazo", (tipo, trabajo.error)
            assert trabajo.error and not existe, tipo
        else:
            assert existe, tipo
