"""Benchmarks de capas contra sus pares, lado a lado en una misma corrida (./run bench).

Mide la mediana de varias repeticiones alternadas (nuestro, par, nuestro, par…) y reporta la razón
nuestro/par junto a la meta del issue. No es una prueba: informa, no falla.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territorio.settings.base")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from apps.comunas.selectors import comuna_configurada  # noqa: E402
from apps.nucleo.roles import CONSULTA, usuario_asignar_rol  # noqa: E402
from bench import api, pares, por_http, superposicion, visor  # noqa: E402
from bench.datos import NIVELES, esperado, generar  # noqa: E402
from bench.wsgi import ClienteWSGI  # noqa: E402
from capas.models import CapaReferencia  # noqa: E402


def medir(funcion) -> float:
    """Devuelve los segundos de una llamada."""
    inicio = time.perf_counter()
    funcion()
    return time.perf_counter() - inicio


def comparar(nombre, nuestro, par, *, meta: float, repeticiones: int) -> dict:
    """Mide ambos alternando (calentamiento incluido) y devuelve la fila del informe."""
    nuestro()
    par()
    t_nuestro, t_par = [], []
    for _ in range(repeticiones):
        t_nuestro.append(medir(nuestro))
        t_par.append(medir(par))
    a, b = statistics.median(t_nuestro), statistics.median(t_par)
    return {"comparación": nombre, "nuestro_ms": a * 1000, "par_ms": b * 1000, "razón": a / b, "meta": meta}


def preparar_datos(nivel: str, *, regenerar: bool = False) -> None:
    """Migra, carga la comuna y genera las capas del nivel si faltan (o si se pide regenerarlas)."""
    call_command("migrate", interactive=False, verbosity=0)
    if comuna_configurada() is None:
        call_command("comuna_cargar", verbosity=0)
    comuna = comuna_configurada()
    actuales = dict(
        CapaReferencia.objects.filter(nombre__startswith="bench-").values_list("nombre", "n_elementos")
    )
    if regenerar or actuales != esperado(nivel):
        print(f"Generando datos del nivel {nivel}…", flush=True)
        generar(limite=comuna.limite, srid_metrico=comuna.srid_metrico, nivel=nivel)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE capas_elementoreferencia")


def cliente() -> ClienteWSGI:
    """Devuelve un cliente con la sesión de un usuario del rol Consulta (un lector, no superusuario)."""
    call_command("roles_sincronizar", verbosity=0)
    usuario, _ = get_user_model().objects.update_or_create(
        username="bench", defaults={"is_staff": False, "is_superuser": False}
    )
    usuario_asignar_rol(usuario=usuario, rol=CONSULTA)
    sesion = Client()
    sesion.force_login(usuario)
    return ClienteWSGI(sesion.cookies)


def filas_http(c: ClienteWSGI, tmp: Path, repeticiones: int) -> list[dict]:
    """Filas por HTTP contra gunicorn levantado como ``./run serve``, con el rol de la aplicación."""
    url_bd = os.environ.get("TERRITORIO_BENCH_URL_APP") or os.environ["DATABASE_URL"]
    filas = []
    with por_http.gunicorn(url_bd, tmp / "gunicorn.log") as url:
        for nombre, meta, nuestro, par in por_http.comparaciones(por_http.ClienteHTTP(url, c.cookies)):
            filas.append(comparar(nombre, nuestro, par, meta=meta, repeticiones=repeticiones))
    return filas


def filas_proceso(c: ClienteWSGI, tmp: Path, repeticiones: int) -> list[dict]:
    """Filas en el proceso (WSGI sin servidor): cada comparación de ``bench.pares``."""
    filas = []
    for comparacion in pares.COMPARACIONES:
        nuestro, par = comparacion.preparar(c, tmp)
        filas.append(
            comparar(comparacion.nombre, nuestro, par, meta=comparacion.meta, repeticiones=repeticiones)
        )
    return filas


def imprimir_razones(filas: list[dict], nivel: str, repeticiones: int) -> None:
    """Imprime la tabla de razones nuestro/par con su meta."""
    ancho = max(len(f["comparación"]) for f in filas)
    print(f"\nNivel {nivel} — mediana de {repeticiones} repeticiones alternadas")
    print(f"{'comparación'.ljust(ancho)}  {'nuestro':>10}  {'par':>10}  {'razón':>7}  meta")
    for f in filas:
        if f["meta"] is None:
            meta = "(informativa)"
        else:
            meta = f"≤ {f['meta']}× {'✔' if f['razón'] <= f['meta'] else '✘'}"
        print(
            f"{f['comparación'].ljust(ancho)}  {f['nuestro_ms']:8.1f}ms  {f['par_ms']:8.1f}ms  "
            f"{f['razón']:6.2f}×  {meta}"
        )


def main():
    """Corre los benchmarks e imprime las tablas (y las guarda en var/bench.json)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nivel", default="S", choices=sorted(NIVELES))
    parser.add_argument("--repeticiones", type=int, default=7)
    parser.add_argument("--regenerar", action="store_true", help="genera los datos aunque ya estén")
    parser.add_argument(
        "modo",
        nargs="?",
        default="todo",
        choices=("todo", "proceso", "http", "visor", "api", "superposicion"),
        help="proceso: WSGI en el proceso; http: gunicorn como ./run serve; visor: el visor en "
        "Chromium headless; api: lista de /api/inmuebles/ contra djangorestframework-gis; superposicion: "
        "el informe de superposición contra PostGIS llano y geopandas.overlay; todo: los cinco",
    )
    args = parser.parse_args()
    preparar_datos(args.nivel, regenerar=args.regenerar)
    c = cliente()
    filas, resultado_visor, resultado_superposicion = [], None, None
    with tempfile.TemporaryDirectory() as tmp:
        if args.modo in ("todo", "proceso"):
            filas += filas_proceso(c, Path(tmp), args.repeticiones)
        if args.modo in ("todo", "http"):
            filas += filas_http(c, Path(tmp), args.repeticiones)
        if args.modo in ("todo", "api"):
            api.preparar_inmuebles(comuna_configurada(), NIVELES[args.nivel]["predios"])
            nuestro, par = api.lista_vs_drf_gis(c, Path(tmp))
            filas.append(
                comparar(
                    "API /api/inmuebles/ (500) vs drf-gis",
                    nuestro,
                    par,
                    meta=None,
                    repeticiones=args.repeticiones,
                )
            )
        if args.modo in ("todo", "superposicion"):
            resultado_superposicion = superposicion.medir(
                comuna=comuna_configurada(), nivel=args.nivel, repeticiones=args.repeticiones
            )
        if args.modo in ("todo", "visor"):
            url_bd = os.environ.get("TERRITORIO_BENCH_URL_APP") or os.environ["DATABASE_URL"]
            usuario = get_user_model().objects.get(username="bench")
            resultado_visor = visor.filas(
                url_bd, c.cookies, visor.capas_visibles(usuario), Path(tmp), min(args.repeticiones, 5)
            )
    if filas:
        imprimir_razones(filas, args.nivel, args.repeticiones)
    if resultado_visor:
        visor.imprimir(resultado_visor)
    if resultado_superposicion:
        superposicion.imprimir(resultado_superposicion)
    destino = Path(settings.BASE_DIR) / "var" / "bench.json"
    resultado = {"razones": filas, "visor": resultado_visor, "superposicion": resultado_superposicion}
    destino.write_text(json.dumps(resultado, indent=2, ensure_ascii=False))
    print(f"\nResultados en {destino.relative_to(settings.BASE_DIR)}")


if __name__ == "__main__":
    main()
