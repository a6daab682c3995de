"""Benchmark del análisis de superposición (``./run bench superposicion``): una propuesta contra todas
las capas de restricción, lado a lado en la misma corrida.

- **nuestro (áreas)**: ``apps.ordenamiento.superposicion.areas_restricciones`` sobre las restricciones
  preparadas (fragmentos disueltos; ver apps/ordenamiento/preparacion.py): lo mismo que calcula el
  SQL llano; sobre este lado van las razones. **informe entero**: ``informe_superposicion`` (además
  zonas, la más cercana de cada categoría y localidades), informativo;
- **PostGIS llano**: una sentencia por propuesta, ``ST_Area(ST_Union(ST_Intersection(ST_Transform(…))))``
  por categoría y por capa (GROUPING SETS) con ``ST_Intersects`` sobre el índice;
- **geopandas**: ``geopandas.overlay`` contra las restricciones ya cargadas en un GeoDataFrame en el CRS
  métrico, con su índice (se mide filtro por índice + overlay + disolución por categoría y capa + área).

Por propuesta se toma la mediana de las repeticiones (alternando los lados); sobre las propuestas, p50
y p95. Una razón cuenta solo si las áreas por categoría y por capa igualan a las del SQL llano con
error relativo ≤ 1e-6. No es una prueba: informa, no falla.
"""

import statistics
import time

from django.db import connection

from bench.datos import propuestas

META_P95_MS = 60.0  # nivel S
META_GEOPANDAS, META_POSTGIS = 0.3, 0.6
TOLERANCIA = 1e-6
# Bajo 1 mm² dos áreas se dan por iguales (un elemento que solo toca la propuesta da área 0 o casi).
PISO_M2 = 1e-6

CON_PROPUESTA = (
    "WITH p AS (SELECT g, ST_Transform(g, %(srid)s) AS gm FROM (SELECT ST_GeomFromEWKB(%(geom)s) AS g) q) "
)
DESDE = (
    "FROM p, capas_elementoreferencia e JOIN capas_capareferencia c ON c.id = e.capa_id "
    "WHERE c.categoria = ANY(%(categorias)s) AND c.cut = %(cut)s AND "
)
SQL_LLANO = (
    CON_PROPUESTA
    + "SELECT c.categoria, c.nombre, "
    + "ST_Area(ST_Union(ST_Intersection(ST_Transform(e.geom, %(srid)s), p.gm))) "
    + DESDE
    + "ST_Intersects(e.geom, p.g) GROUP BY GROUPING SETS ((c.categoria), (c.categoria, c.nombre))"
)
# Pasos acumulativos de la sentencia llana: la diferencia entre dos pasos es lo que cuesta el agregado.
DESGLOSE = (
    ("índice (&&, solo cajas)", "count(*), sum(ST_NPoints(e.geom))", "e.geom && p.g"),
    ("+ ST_Intersects exacto", "count(*), sum(ST_NPoints(e.geom))", "ST_Intersects(e.geom, p.g)"),
    ("+ ST_Transform de cada elemento", "sum(ST_NPoints(ST_Transform(e.geom, %(srid)s))), 0", None),
    ("+ ST_Intersection", "sum(ST_Area(ST_Intersection(ST_Transform(e.geom, %(srid)s), p.gm))), 0", None),
)


def categorias_restriccion() -> list[str]:
    """Devuelve las categorías de restricción del dominio (las que cuenta el informe)."""
    from apps.ordenamiento.restricciones import POR_CATEGORIA

    return list(POR_CATEGORIA)


def _areas_llano(geom, comuna, categorias) -> dict:
    """Devuelve las áreas por categoría y por (categoría, capa) de la sentencia llana."""
    parametros = {
        "geom": bytes(geom.ewkb),
        "srid": comuna.srid_metrico,
        "categorias": categorias,
        "cut": comuna.cut,
    }
    resultado = {"categorias": {}, "capas": {}}
    with connection.cursor() as cursor:
        cursor.execute(SQL_LLANO, parametros)
        for categoria, capa, area in cursor.fetchall():
            if capa is None:
                resultado["categorias"][categoria] = area
            else:
                resultado["capas"][(categoria, capa)] = area
    return resultado


def _areas_informe(informe: dict) -> dict:
    """Devuelve las áreas por categoría y por (categoría, capa) de la parte de categorías del informe."""
    resultado = {"categorias": {}, "capas": {}}
    for c in informe["categorias"]:
        resultado["categorias"][c["categoria"]] = c["area_m2"]
        for k in c["capas"]:
            resultado["capas"][(c["categoria"], k["capa"])] = k["area_m2"]
    return resultado


def _areas_nuestras(geom, comuna) -> dict:
    """Devuelve las áreas por categoría y por (categoría, capa) de ``areas_restricciones`` (fragmentos)."""
    from apps.ordenamiento.superposicion import areas_restricciones

    categorias, por_capa, capas = areas_restricciones(geom, comuna=comuna)
    nombres = {c["id"]: (c["categoria"], c["nombre"]) for c in capas}
    return {
        "categorias": {k: v for k, v in categorias.items() if v > 0},
        "capas": {nombres[k]: v for k, v in por_capa.items() if v > 0},
    }


def preparar_restricciones(comuna) -> dict:
    """Prepara (disuelve y fragmenta) las restricciones antes de medir, como lo hace el trabajo."""
    from apps.ordenamiento.preparacion import restricciones_preparar

    inicio = time.perf_counter()
    hechas = restricciones_preparar(comuna)
    return {"segundos": round(time.perf_counter() - inicio, 1), "fragmentos": sum(hechas.values())}


def cargar_geopandas(comuna, categorias):
    """Carga las capas de restricción en un GeoDataFrame (columnas categoria y capa) ya en el SRID
    métrico (el mismo ST_Transform de PostGIS: las coordenadas son las del par llano), con su índice."""
    import geopandas as gpd
    import shapely

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.categoria, c.nombre, ST_AsBinary(ST_Transform(e.geom, %s))
            FROM capas_elementoreferencia e JOIN capas_capareferencia c ON c.id = e.capa_id
            WHERE c.categoria = ANY(%s) AND c.cut = %s ORDER BY c.categoria, c.nombre, e.fid
            """,
            [comuna.srid_metrico, categorias, comuna.cut],
        )
        filas = cursor.fetchall()
    gdf = gpd.GeoDataFrame(
        {"categoria": [f[0] for f in filas], "capa": [f[1] for f in filas]},
        geometry=shapely.from_wkb([bytes(f[2]) for f in filas]),
        crs=comuna.srid_metrico,
    )
    gdf.sindex  # noqa: B018 — el índice se arma antes de medir
    return gdf


def _lado_geopandas(restricciones, srid: int):
    """Devuelve la función que hace overlay + disolución + área de una propuesta.

    Antes del overlay se filtran los candidatos con el índice precargado: overlay valida (is_valid) toda
    la tabla derecha en cada llamada, ~90 ms con las áreas de 150.000 vértices; el filtro es lo que haría
    quien lo use en serio, y deja al par en su mejor forma. Un solo overlay contra todas las categorías
    (y disolver por categoría y por capa) resultó 2–3× más rápido que uno por categoría.
    """
    import geopandas as gpd
    import numpy as np
    import shapely
    from pyproj import Transformer

    transformar = Transformer.from_crs(4326, srid, always_xy=True)

    def a_metrico(xy):
        return np.column_stack(transformar.transform(xy[:, 0], xy[:, 1]))

    def areas(geom) -> dict:
        metrica = shapely.transform(shapely.from_wkb(bytes(geom.wkb)), a_metrico)
        candidatos = restricciones.iloc[restricciones.sindex.query(metrica, predicate="intersects")]
        resultado = {"categorias": {}, "capas": {}}
        if candidatos.empty:
            return resultado
        propuesta = gpd.GeoDataFrame(geometry=[metrica], crs=srid)
        cruce = gpd.overlay(propuesta, candidatos, how="intersection", keep_geom_type=True)
        if not cruce.empty:
            resultado["categorias"] = cruce.dissolve(by="categoria").area.to_dict()
            resultado["capas"] = cruce.dissolve(by=["categoria", "capa"]).area.to_dict()
        return resultado

    return areas


def diferencia(resultado: dict, referencia: dict) -> tuple[float, bool]:
    """Devuelve el mayor error relativo de área (por categoría y por capa) contra la referencia y si
    igualan: cada área a 1e-6 relativo, o a menos de ``PISO_M2``; las faltantes cuentan como 0."""
    peor, iguales = 0.0, True
    for clave in ("categorias", "capas"):
        a, b = resultado[clave], referencia[clave]
        for k in set(a) | set(b):
            x, y = a.get(k, 0.0), b.get(k, 0.0)
            if max(abs(x), abs(y)) > PISO_M2:
                relativo = abs(x - y) / max(abs(x), abs(y))
                peor = max(peor, relativo)
                iguales = iguales and (relativo <= TOLERANCIA or abs(x - y) <= PISO_M2)
    return peor, iguales


def _percentil(valores: list[float], q: int) -> float:
    """Devuelve el percentil ``q`` (interpolado) de los valores."""
    return statistics.quantiles(valores, n=100, method="inclusive")[q - 1]


def medir(*, comuna, nivel: str, repeticiones: int) -> dict:
    """Mide los tres lados sobre las propuestas de prueba y devuelve tiempos, verificación y desglose."""
    categorias = categorias_restriccion()
    pruebas = propuestas(comuna.limite, comuna.srid_metrico)
    from apps.ordenamiento.superposicion import informe_superposicion

    print("Preparando las restricciones (fragmentos)…", flush=True)
    preparacion = preparar_restricciones(comuna)
    lados = {
        # Lo mismo que calcula el SQL llano (áreas por categoría y capa): sobre esto van las razones.
        "nuestro": lambda g: _areas_nuestras(g, comuna),
        # El informe entero (zonas, más cercana por categoría, localidades): informativo.
        "informe": lambda g: _areas_informe(informe_superposicion(g, comuna=comuna, uso=None)),
        "postgis": lambda g: _areas_llano(g, comuna, categorias),
    }
    print("Cargando las restricciones en geopandas…", flush=True)
    lados["geopandas"] = _lado_geopandas(cargar_geopandas(comuna, categorias), comuna.srid_metrico)

    # Calentamiento y verificación: una pasada por propuesta y lado, comparada con el SQL llano.
    peor, iguales = dict.fromkeys(lados, 0.0), dict.fromkeys(lados, True)
    for p in pruebas:
        referencia = lados["postgis"](p["geom"])
        p["categorias"] = {k: round(v, 3) for k, v in referencia["categorias"].items()}
        for lado, funcion in lados.items():
            dif, igual = diferencia(funcion(p["geom"]), referencia)
            peor[lado], iguales[lado] = max(peor[lado], dif), iguales[lado] and igual

    tiempos = {lado: [[] for _ in pruebas] for lado in lados}
    for _ in range(repeticiones):
        for i, p in enumerate(pruebas):
            for lado, funcion in lados.items():
                inicio = time.perf_counter()
                funcion(p["geom"])
                tiempos[lado][i].append((time.perf_counter() - inicio) * 1000)
    por_propuesta = {lado: [statistics.median(t) for t in tiempos[lado]] for lado in lados}
    resumen = {
        lado: {
            "p50_ms": _percentil(v, 50),
            "p95_ms": _percentil(v, 95),
            "max_dif_rel": peor[lado],
            "iguales": iguales[lado],
        }
        for lado, v in por_propuesta.items()
    }
    lenta = max(range(len(pruebas)), key=lambda i: por_propuesta["postgis"][i])
    return {
        "nivel": nivel,
        "repeticiones": repeticiones,
        "propuestas": [
            {
                "n": p["n"],
                "tipo": p["tipo"],
                "hectareas": round(p["hectareas"], 2),
                "categorias_m2": p["categorias"],
                **{f"{lado}_ms": round(por_propuesta[lado][i], 2) for lado in lados},
            }
            for i, p in enumerate(pruebas)
        ],
        "resumen": resumen,
        "preparacion": preparacion,
        "desglose": desglose(pruebas[lenta], comuna, categorias, informe_superposicion),
    }


def _tiempo_sql(sql: str, parametros: dict, veces: int = 9) -> tuple[float, tuple]:
    """Devuelve la mediana en ms de ``veces`` ejecuciones de la sentencia y su primera fila."""
    medidas, fila = [], None
    with connection.cursor() as cursor:
        for _ in range(veces):
            inicio = time.perf_counter()
            cursor.execute(sql, parametros)
            fila = cursor.fetchone()
            medidas.append((time.perf_counter() - inicio) * 1000)
    return statistics.median(medidas), fila


def desglose(prueba: dict, comuna, categorias, informe) -> dict:
    """Desglosa el tiempo de la propuesta más lenta del SQL llano: pasos acumulativos de la sentencia,
    su EXPLAIN ANALYZE y, si existe, el reparto SQL/Python de nuestro informe."""
    parametros = {
        "geom": bytes(prueba["geom"].ewkb),
        "srid": comuna.srid_metrico,
        "categorias": categorias,
        "cut": comuna.cut,
    }
    pasos, condicion = [], None
    for nombre, columnas, cond in DESGLOSE:
        condicion = cond or condicion
        ms, fila = _tiempo_sql(f"{CON_PROPUESTA}SELECT {columnas} {DESDE}{condicion}", parametros)
        pasos.append({"paso": nombre, "ms": round(ms, 2), "fila": [float(x or 0) for x in fila]})
    ms, _ = _tiempo_sql(SQL_LLANO, parametros)
    pasos.append({"paso": "+ ST_Union y ST_Area por categoría y por capa (la sentencia)", "ms": round(ms, 2)})
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + SQL_LLANO, parametros)
        plan = "\n".join(f[0] for f in cursor.fetchall())
    resultado = {
        "propuesta": prueba["n"],
        "tipo": prueba["tipo"],
        "pasos_llano": pasos,
        "explain_llano": plan,
    }
    if informe:
        resultado["nuestro"] = _reparto_nuestro(informe, prueba["geom"], comuna)
    return resultado


def _anotador(sentencias: list):
    """Devuelve un envoltorio de ejecución que anota en ``sentencias`` (ms, SQL) cada consulta."""

    def anotar(ejecutar, sql, params, many, context):
        inicio = time.perf_counter()
        try:
            return ejecutar(sql, params, many, context)
        finally:
            sentencias.append(((time.perf_counter() - inicio) * 1000, " ".join(sql.split())[:240]))

    return anotar


def _reparto_nuestro(informe, geom, comuna) -> dict:
    """Devuelve cuánto del informe se va en SQL (y en qué sentencias) y cuánto en Python."""
    corridas = []
    for _ in range(5):
        sentencias = []
        inicio = time.perf_counter()
        with connection.execute_wrapper(_anotador(sentencias)):
            informe(geom, comuna=comuna, uso=None)
        total = (time.perf_counter() - inicio) * 1000
        corridas.append((total, sentencias))
    total, sentencias = sorted(corridas, key=lambda c: c[0])[len(corridas) // 2]
    sql_ms = sum(ms for ms, _ in sentencias)
    return {
        "total_ms": round(total, 2),
        "sql_ms": round(sql_ms, 2),
        "python_ms": round(total - sql_ms, 2),
        "sentencias": len(sentencias),
        "mas_lentas": [{"ms": round(ms, 2), "sql": sql} for ms, sql in sorted(sentencias, reverse=True)[:3]],
    }


def imprimir(r: dict) -> None:
    """Imprime la tabla del benchmark, las razones en p95 con sus metas y el desglose."""
    res, meta_abs = r["resumen"], META_P95_MS if r["nivel"] == "S" else None
    print(
        f"\nAnálisis de superposición — nivel {r['nivel']}, {len(r['propuestas'])} propuestas, mediana de "
        f"{r['repeticiones']} repeticiones por propuesta"
    )
    print(f"{'lado':<16}{'p50':>10}{'p95':>10}  verificación contra el SQL llano")
    nombres = {
        "nuestro": "nuestro (áreas)",
        "informe": "informe entero",
        "postgis": "PostGIS llano",
        "geopandas": "geopandas",
    }
    for lado, v in res.items():
        dif = "referencia" if lado == "postgis" else f"mayor dif. relativa {v['max_dif_rel']:.2e}"
        dif += "" if v["iguales"] else " — RESULTADOS DISTINTOS"
        print(f"{nombres[lado]:<16}{v['p50_ms']:8.1f}ms{v['p95_ms']:8.1f}ms  {dif}")
    prep = r["preparacion"]
    print(f"(preparación previa de las restricciones: {prep['segundos']} s, {prep['fragmentos']} fragmentos)")
    for lado in ("nuestro", "informe"):
        for par, meta in (("geopandas", META_GEOPANDAS), ("postgis", META_POSTGIS)):
            if not res[lado]["iguales"]:
                print(f"{nombres[lado]} / {nombres[par]}: resultados distintos (sin razón)")
                continue
            razon = res[lado]["p95_ms"] / res[par]["p95_ms"]
            marca = ("✔" if razon <= meta else "✘") if lado == "nuestro" else "informativa"
            print(f"{nombres[lado]} / {nombres[par]} en p95: {razon:.2f}× (meta ≤ {meta}× {marca})")
        if meta_abs:
            p95 = res[lado]["p95_ms"]
            marca = "✔" if p95 <= meta_abs else "✘"
            print(f"{nombres[lado]} p95: {p95:.1f} ms (meta ≤ {meta_abs:.0f} ms {marca})")
    d = r["desglose"]
    print(f"\nDesglose del SQL llano en la propuesta {d['propuesta']} ({d['tipo']}), la más lenta:")
    for paso in d["pasos_llano"]:
        print(f"  {paso['paso']:<62}{paso['ms']:9.1f} ms  {paso.get('fila', '')}")
    if "nuestro" in d:
        n = d["nuestro"]
        print(
            f"  informe entero: {n['total_ms']} ms = {n['sql_ms']} ms en {n['sentencias']} sentencias SQL + "
            f"{n['python_ms']} ms de Python"
        )
