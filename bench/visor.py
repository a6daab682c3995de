"""Benchmark del visor en Chromium headless (Debian), contra gunicorn levantado como ``./run serve``.

Mide, con los datos del nivel S encendidos (5.000 predios y 2.000 restricciones, más las capas que
el visor abre por omisión):

- **carga**: de la navegación a ``/mapa/`` hasta que todas las capas visibles están dibujadas (el
  visor emite ``capa-dibujada`` por capa: GeoJSON al agregar sus elementos, teselas cuando VectorGrid
  terminó de cargar las de la vista) y pasó un cuadro de pintura; meta ≤ 1,5 s;
- **bytes** transferidos por capa (cuerpo comprimido, como viaja);
- **redibujo** al desplazar y al acercar (hasta que toda capa visible vuelve a estar dibujada);
- lo mismo con los predios dibujados como **GeoJSON** y como **teselas MVT** (el modo lo decide el
  registro por ``CAPAS_VISOR_UMBRAL_TESELAS``: se levanta un gunicorn con cada umbral).

Cada repetición abre un contexto nuevo del navegador (caché del navegador vacía). No es una prueba.
"""

import os
import statistics
from pathlib import Path
from urllib.parse import urlsplit

from bench import por_http
from bench.datos import capas_restriccion
from tests.navegador import BANDERAS, ruta_chromium

CAPAS_NIVEL = ("bench-predios", *capas_restriccion())
META_CARGA_S = 1.5
CALENTAR = 3
ANCHO, ALTO = 1366, 768
# Anota, por capa, el instante (ms desde la navegación) del primer cuadro pintado tras dibujarla.
GANCHO = """
(() => {
  window.__dibujadas = {};
  let visor;
  Object.defineProperty(window, "Visor", {
    configurable: true,
    get() { return visor; },
    set(v) {
      visor = v;
      v.escuchar("capa-dibujada", (d) => {
        requestAnimationFrame(() => { window.__dibujadas[d.capa] = performance.now(); });
      });
    },
  });
})();
"""


# De la última carga: cuándo terminó de llegar cada recurso (ms desde la navegación) y cuándo se
# dibujó cada capa; muestra si el tiempo se va en el servidor, en la red o en el navegador.
TIEMPOS = """
() => {
  const fin = {};
  for (const r of performance.getEntriesByType("resource")) {
    const ruta = new URL(r.name).pathname;
    const clave = ruta.endsWith(".geojson") ? ruta.slice(7, -8)
      : ruta.startsWith("/tiles/") ? ruta.split("/")[2]
      : ruta.startsWith("/static/") ? "estáticos" : null;
    if (clave) fin[clave] = Math.max(fin[clave] || 0, Math.round(r.responseEnd));
  }
  const nav = performance.getEntriesByType("navigation")[0];
  const dibujada = Object.entries(window.__dibujadas).map(([k, v]) => [k, Math.round(v)]);
  return { html: Math.round(nav.responseEnd), llegada: fin, dibujada: Object.fromEntries(dibujada) };
}
"""


def _capa_de(url: str) -> str | None:
    """Devuelve la capa de un pedido de datos del visor (GeoJSON o tesela), o None."""
    ruta = urlsplit(url).path
    if ruta.startswith("/capas/") and ruta.endswith(".geojson"):
        return ruta.removeprefix("/capas/").removesuffix(".geojson")
    if ruta.startswith("/tiles/") and ruta.endswith(".pbf"):
        return ruta.split("/")[2]
    return None


def _esperar_dibujadas(pestana, capas: list[str], tope_ms: int = 60_000) -> float:
    """Espera a que todas las capas estén dibujadas y devuelve el último instante (ms)."""
    from playwright.sync_api import TimeoutError as TiempoAgotado

    try:
        pestana.wait_for_function(
            "(capas) => capas.every((c) => c in (window.__dibujadas || {}))", arg=capas, timeout=tope_ms
        )
    except TiempoAgotado:
        dibujadas = pestana.evaluate("() => Object.keys(window.__dibujadas || {})")
        faltan = sorted(set(capas) - set(dibujadas))
        errores = "; ".join(getattr(pestana, "errores", [])[:3])
        raise RuntimeError(
            f"En {pestana.url} no se dibujaron: {', '.join(faltan)}. "
            f"Errores de la página: {errores or 'ninguno'}"
        ) from None
    return pestana.evaluate("(capas) => Math.max(...capas.map((c) => window.__dibujadas[c]))", capas)


def _redibujo(pestana, capas: list[str], accion: str) -> float:
    """Ejecuta ``accion`` (JS sobre ``V.mapa``) y devuelve los ms hasta que todo vuelve a dibujarse."""
    inicio = pestana.evaluate(
        "(accion) => { window.__dibujadas = {}; const t = performance.now();"
        " new Function('V', accion)(window.Visor); return t; }",
        accion,
    )
    return _esperar_dibujadas(pestana, capas) - inicio


def medir(url: str, cookies, visibles: list[str], repeticiones: int) -> dict:
    """Devuelve las medianas de carga y redibujo (s) y los bytes por capa de la última repetición."""
    from playwright.sync_api import sync_playwright

    cargas, desplazar, acercar = [], [], []
    bytes_por_capa: dict[str, int] = {}
    dominio = urlsplit(url).hostname
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=ruta_chromium(), headless=True, args=BANDERAS)
        try:
            # Las primeras vueltas calientan los workers de gunicorn (un servidor en uso ya importó
            # todo); no se cuentan. Cada vuelta usa un contexto nuevo: la caché del navegador, vacía.
            for vuelta in range(CALENTAR + repeticiones):
                contexto = navegador.new_context(viewport={"width": ANCHO, "height": ALTO}, locale="es-CL")
                contexto.add_cookies(
                    [
                        {"name": k, "value": v.value, "domain": dominio, "path": "/"}
                        for k, v in cookies.items()
                    ]
                )
                contexto.add_init_script(GANCHO)
                pestana = contexto.new_page()
                pestana.errores = []
                pestana.on("pageerror", lambda e, p=pestana: p.errores.append(str(e)))
                pestana.on(
                    "console", lambda m, p=pestana: p.errores.append(m.text) if m.type == "error" else None
                )
                transferidos: dict[str, int] = {}

                def anotar(respuesta, transferidos=transferidos):
                    capa = _capa_de(respuesta.url)
                    if capa:
                        tamano = respuesta.request.sizes()["responseBodySize"]
                        transferidos[capa] = transferidos.get(capa, 0) + tamano

                pestana.on("requestfinished", lambda r, anotar=anotar: anotar(r.response()))
                # Con el permalink (#c=…) el visor abre con las capas del nivel S encendidas.
                pestana.goto(f"{url}/mapa/#c={','.join(visibles)}")
                carga = _esperar_dibujadas(pestana, visibles) / 1000
                if vuelta < CALENTAR:
                    contexto.close()
                    continue
                cargas.append(carga)
                pestana.wait_for_load_state("networkidle")
                bytes_por_capa = dict(transferidos)
                tiempos = pestana.evaluate(TIEMPOS)
                desplazar.append(
                    _redibujo(pestana, visibles, "V.mapa.panBy([300, 150], {animate: false})") / 1000
                )
                acercar.append(_redibujo(pestana, visibles, "V.mapa.zoomIn(1, {animate: false})") / 1000)
                contexto.close()
        finally:
            navegador.close()
    return {
        "carga_s": statistics.median(cargas),
        "desplazar_s": statistics.median(desplazar),
        "acercar_s": statistics.median(acercar),
        "bytes": bytes_por_capa,
        "tiempos_ms": tiempos,
    }


def capas_visibles(usuario) -> list[str]:
    """Devuelve las capas que el visor abre encendidas para el usuario más las del nivel S."""
    from capas.registro import registro

    por_omision = [c.nombre for c in registro.para_visor(usuario) if c.visible]
    return list(dict.fromkeys([*por_omision, *CAPAS_NIVEL]))


def filas(url_bd: str, cookies, visibles: list[str], tmp: Path, repeticiones: int) -> dict:
    """Mide el visor con los predios como teselas (umbral normal) y como GeoJSON (umbral enorme)."""
    from django.core.management import call_command

    # gunicorn sirve los estáticos con whitenoise y su manifiesto, como ./run serve.
    call_command("collectstatic", interactive=False, verbosity=0)
    resultados = {}
    for modo, umbral in (("teselas", "2000"), ("geojson", "1000000000")):
        os.environ["CAPAS_VISOR_UMBRAL_TESELAS"] = umbral
        try:
            registro = tmp / f"gunicorn-visor-{modo}.log"
            with por_http.gunicorn(url_bd, registro) as url:
                try:
                    resultados[modo] = medir(url, cookies, visibles, repeticiones)
                except RuntimeError:
                    print(registro.read_text()[-4000:])
                    raise
        finally:
            os.environ.pop("CAPAS_VISOR_UMBRAL_TESELAS", None)
    return resultados


def imprimir(resultados: dict) -> None:
    """Imprime la tabla del visor: carga, redibujo y bytes por capa en cada modo de los predios."""
    print("\nVisor en Chromium headless (1366×768), mediana; predios como teselas MVT y como GeoJSON")
    print(
        f"{'predios como':<12}  {'carga':>8}  {'desplazar':>9}  {'acercar':>8}  meta carga ≤ {META_CARGA_S} s"
    )
    for modo, r in resultados.items():
        marca = "✔" if r["carga_s"] <= META_CARGA_S else "✘"
        print(f"{modo:<12}  {r['carga_s']:7.2f}s  {r['desplazar_s']:8.2f}s  {r['acercar_s']:7.2f}s  {marca}")
    for modo, r in resultados.items():
        detalle = ", ".join(
            f"{c}: {b / 1024:,.0f} KiB".replace(",", ".") for c, b in sorted(r["bytes"].items())
        )
        print(f"  bytes por capa ({modo}): {detalle}")
        print(f"  tiempos de la última carga ({modo}, ms): {r['tiempos_ms']}")
    mejor = min(resultados, key=lambda m: resultados[m]["carga_s"])
    print(f"  más rápido para los predios: {mejor}")
