"""Preparación de las capas de restricción para el análisis: disueltas y en fragmentos métricos.

Por qué: intersecar una propuesta con un área protegida de 50.000 vértices cuesta lo que ese
polígono, y sumar capas que se superponen cuenta dos veces. Se disuelve cada capa y cada categoría
(``ST_Union``: sin superposiciones) y se parte el resultado en fragmentos de pocos vértices
(``ST_Subdivide``), en el SRID métrico de la comuna. Los fragmentos de una disolución no se
superponen, así que el área de la propuesta en la categoría es la suma de sus intersecciones con
los fragmentos que toca, sin volver a unir nada; y un fragmento cubierto por la propuesta aporta su
área guardada sin intersecar.

Es una caché: cada capa preparada guarda la versión de la capa (``capas_version_de``) y cada
categoría la firma «capa:versión» de sus capas. El análisis solo usa lo que sigue vigente y calcula
el resto desde los elementos, así que una capa recién importada da el resultado correcto aunque
aún no se haya preparado (solo más lento). La preparación corre como trabajo tras cada cambio.
"""

from django.conf import settings
from django.db import connection, transaction

from apps.ordenamiento.restricciones import POR_CATEGORIA

TABLA_ELEMENTOS = "capas_elementoreferencia"


def vertices_por_fragmento() -> int:
    """Devuelve el máximo de vértices de un fragmento (ajuste TERRITORIO_FRAGMENTO_VERTICES)."""
    return settings.TERRITORIO_FRAGMENTO_VERTICES


def capas_de_restriccion(comuna) -> list[dict]:
    """Devuelve las capas de restricción de la comuna con su versión actual y la preparada.

    Cada fila: id, nombre, titulo, categoria, version (actual) y lista (sus fragmentos valen).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.id, c.nombre, c.titulo, c.categoria, v.version,
                   cp.capa_id IS NOT NULL AND cp.srid = %(srid)s
                       AND cp.version IS NOT DISTINCT FROM v.version AS lista
            FROM capas_capareferencia c
            CROSS JOIN LATERAL (SELECT public.capas_version_de(%(tabla)s, c.id) AS version) v
            LEFT JOIN ordenamiento_capapreparada cp ON cp.capa_id = c.id
            WHERE c.cut = %(cut)s AND c.categoria = ANY(%(categorias)s)
            ORDER BY c.categoria, c.id
            """,
            {
                "srid": comuna.srid_metrico,
                "tabla": TABLA_ELEMENTOS,
                "cut": comuna.cut,
                "categorias": list(POR_CATEGORIA),
            },
        )
        columnas = [c.name for c in cursor.description]
        return [dict(zip(columnas, fila, strict=True)) for fila in cursor.fetchall()]


def firmas(capas: list[dict]) -> dict[str, str]:
    """Devuelve la firma «capa:versión,…» de cada categoría según las capas dadas."""
    por_categoria: dict[str, list[str]] = {}
    for capa in capas:
        por_categoria.setdefault(capa["categoria"], []).append(f"{capa['id']}:{capa['version'] or 0}")
    return {categoria: ",".join(partes) for categoria, partes in por_categoria.items()}


def categorias_listas(comuna, firmas_actuales: dict[str, str]) -> dict[str, int]:
    """Devuelve {categoría: id de CategoriaPreparada} de las preparadas que siguen vigentes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT categoria, id, firma, srid FROM ordenamiento_categoriapreparada WHERE comuna_id = %s",
            [comuna.pk],
        )
        return {
            categoria: pk
            for categoria, pk, firma, srid in cursor.fetchall()
            if srid == comuna.srid_metrico and firmas_actuales.get(categoria) == firma
        }


def capa_preparar(capa_id: int, *, srid: int) -> int:
    """Disuelve y fragmenta una capa en ``srid``; devuelve cuántos fragmentos quedaron.

    Versión y elementos salen de una misma sentencia (la función de versión es STABLE: ve la misma
    instantánea), así que la versión guardada es la de los elementos que se disolvieron.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # Las claves foráneas de Django no borran en cascada en la base: primero los fragmentos.
        cursor.execute("DELETE FROM ordenamiento_fragmentocapa WHERE capa_id = %s", [capa_id])
        cursor.execute("DELETE FROM ordenamiento_fragmentoelemento WHERE capa_id = %s", [capa_id])
        cursor.execute("DELETE FROM ordenamiento_capapreparada WHERE capa_id = %s", [capa_id])
        cursor.execute(
            """
            WITH u AS (
                SELECT ST_Union(ST_Transform(e.geom, %(srid)s)) AS geom
                FROM capas_elementoreferencia e WHERE e.capa_id = %(capa)s
            ), preparada AS (
                INSERT INTO ordenamiento_capapreparada (capa_id, version, srid, preparada)
                VALUES (%(capa)s, public.capas_version_de(%(tabla)s, %(capa)s), %(srid)s, now())
                RETURNING capa_id
            )
            INSERT INTO ordenamiento_fragmentocapa (capa_id, geom, area_m2)
            SELECT preparada.capa_id, f.geom, ST_Area(f.geom)
            FROM preparada, u, LATERAL ST_Subdivide(u.geom, %(vertices)s) AS f(geom)
            WHERE u.geom IS NOT NULL AND NOT ST_IsEmpty(f.geom)
            """,
            {"srid": srid, "capa": capa_id, "tabla": TABLA_ELEMENTOS, "vertices": vertices_por_fragmento()},
        )
        fragmentos = cursor.rowcount
        # Y cada elemento por separado (sin disolver), para saber cuál es el más cercano.
        cursor.execute(
            """
            INSERT INTO ordenamiento_fragmentoelemento (capa_id, fid, geom)
            SELECT e.capa_id, e.fid, f.geom
            FROM capas_elementoreferencia e,
                 LATERAL ST_Subdivide(ST_Transform(e.geom, %(srid)s), %(vertices)s) AS f(geom)
            WHERE e.capa_id = %(capa)s AND NOT ST_IsEmpty(f.geom)
            """,
            {"srid": srid, "capa": capa_id, "vertices": vertices_por_fragmento()},
        )
        return fragmentos


def categoria_preparar(comuna, categoria: str) -> int:
    """Disuelve y fragmenta todas las capas de ``categoria`` de la comuna; devuelve los fragmentos."""
    with transaction.atomic(), connection.cursor() as cursor:
        _categorias_borrar(cursor, "comuna_id = %s AND categoria = %s", [comuna.pk, categoria])
        cursor.execute(
            """
            WITH capas AS (
                SELECT c.id FROM capas_capareferencia c
                WHERE c.cut = %(cut)s AND c.categoria = %(categoria)s
            ), firma AS (
                SELECT coalesce(string_agg(
                    c.id || ':' || coalesce(public.capas_version_de(%(tabla)s, c.id), 0), ','
                    ORDER BY c.id), '') AS texto
                FROM capas c
            ), u AS (
                SELECT ST_Union(ST_Transform(e.geom, %(srid)s)) AS geom
                FROM capas_elementoreferencia e JOIN capas c ON c.id = e.capa_id
            ), preparada AS (
                INSERT INTO ordenamiento_categoriapreparada (comuna_id, categoria, firma, srid, preparada)
                SELECT %(comuna)s, %(categoria)s, firma.texto, %(srid)s, now() FROM firma
                RETURNING id
            )
            INSERT INTO ordenamiento_fragmentocategoria (categoria_id, geom, area_m2)
            SELECT preparada.id, f.geom, ST_Area(f.geom)
            FROM preparada, u, LATERAL ST_Subdivide(u.geom, %(vertices)s) AS f(geom)
            WHERE u.geom IS NOT NULL AND NOT ST_IsEmpty(f.geom)
            """,
            {
                "cut": comuna.cut,
                "categoria": categoria,
                "tabla": TABLA_ELEMENTOS,
                "srid": comuna.srid_metrico,
                "comuna": comuna.pk,
                "vertices": vertices_por_fragmento(),
            },
        )
        return cursor.rowcount


def _categoria_copiar(comuna, capa: dict) -> int:
    """Prepara la categoría de una sola capa copiando los fragmentos de esa capa; devuelve cuántos."""
    with transaction.atomic(), connection.cursor() as cursor:
        _categorias_borrar(cursor, "comuna_id = %s AND categoria = %s", [comuna.pk, capa["categoria"]])
        cursor.execute(
            """
            WITH preparada AS (
                INSERT INTO ordenamiento_categoriapreparada (comuna_id, categoria, firma, srid, preparada)
                VALUES (%(comuna)s, %(categoria)s, %(firma)s, %(srid)s, now()) RETURNING id
            )
            INSERT INTO ordenamiento_fragmentocategoria (categoria_id, geom, area_m2)
            SELECT preparada.id, f.geom, f.area_m2
            FROM preparada, ordenamiento_fragmentocapa f WHERE f.capa_id = %(capa)s
            """,
            {
                "comuna": comuna.pk,
                "categoria": capa["categoria"],
                "firma": firmas([capa])[capa["categoria"]],
                "srid": comuna.srid_metrico,
                "capa": capa["id"],
            },
        )
        return cursor.rowcount


def restricciones_preparar(comuna, *, todas: bool = False) -> dict[str, int]:
    """Prepara las capas y categorías de restricción de la comuna que no estén vigentes.

    Devuelve {«capa:<nombre>» o «categoria:<valor>»: fragmentos} de lo que preparó. Con ``todas``
    rehace todo. Borra también las categorías preparadas que ya no tienen capas.
    """
    hechas: dict[str, int] = {}
    capas = capas_de_restriccion(comuna)
    for capa in capas:
        if todas or not capa["lista"]:
            hechas[f"capa:{capa['nombre']}"] = capa_preparar(capa["id"], srid=comuna.srid_metrico)
    actuales = firmas(capas)
    vigentes = {} if todas else categorias_listas(comuna, actuales)
    for categoria in actuales:
        if categoria in vigentes:
            continue
        suyas = [c for c in capas_de_restriccion(comuna) if c["categoria"] == categoria]
        if len(suyas) == 1 and suyas[0]["lista"]:
            # Una sola capa: su disolución ya es la de la categoría (sin volver a unir).
            hechas[f"categoria:{categoria}"] = _categoria_copiar(comuna, suyas[0])
        else:
            hechas[f"categoria:{categoria}"] = categoria_preparar(comuna, categoria)
    with connection.cursor() as cursor:
        _categorias_borrar(cursor, "comuna_id = %s AND NOT categoria = ANY(%s)", [comuna.pk, list(actuales)])
    return hechas


def _categorias_borrar(cursor, condicion: str, parametros: list) -> None:
    """Borra las categorías preparadas que cumplen ``condicion`` y sus fragmentos."""
    cursor.execute(
        "DELETE FROM ordenamiento_fragmentocategoria WHERE categoria_id IN "
        f"(SELECT id FROM ordenamiento_categoriapreparada WHERE {condicion})",
        parametros,
    )
    cursor.execute(f"DELETE FROM ordenamiento_categoriapreparada WHERE {condicion}", parametros)
