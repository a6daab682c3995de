"""Preparación de las capas de restricción para el análisis: disueltas y en fragmentos métricos.

Por qué: intersecar una propuesta con un área protegida de 50.000 vértices cuesta lo que ese
polígono, y sumar capas que se superponen cuenta dos veces. Cada capa se disuelve (``ST_Union``:
sin superposiciones dentro de ella) y se parte en fragmentos de pocos vértices (``ST_Subdivide``)
en el SRID métrico de la comuna. Como los fragmentos de una disolución no se superponen, el área de
la propuesta en la capa es la suma de sus intersecciones con los fragmentos que toca, sin volver a
unir nada; un fragmento cubierto por la propuesta aporta su área guardada sin intersecar. Para la
categoría (varias capas que pueden superponerse) se guarda solo la inclusión–exclusión donde las
capas se tocan (``categoria_preparar``). Cada elemento también se fragmenta por separado, para
hallar la restricción más cercana con una búsqueda KNN que sabe de qué elemento es.

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
    """Prepara la inclusión–exclusión de las capas de ``categoria``; devuelve los fragmentos.

    El área de la unión de las capas es la suma de sus áreas menos lo que se cuenta de más donde se
    superponen: se guardan las intersecciones de cada par de capas (signo −1), de cada trío (+1) y
    así (``ST_Intersection`` de las capas disueltas, solo donde se tocan). Lejos de esas zonas no se
    guarda nada: la categoría reusa los fragmentos de sus capas y no vuelve a unir lo ya unido.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        _categorias_borrar(cursor, "comuna_id = %s AND categoria = %s", [comuna.pk, categoria])
        cursor.execute("DROP TABLE IF EXISTS _ordenamiento_disueltas, _ordenamiento_nivel")
        # Versión y geometría de cada capa en una sola sentencia (una sola instantánea).
        cursor.execute(
            """
            CREATE TEMP TABLE _ordenamiento_disueltas AS
            SELECT c.id AS capa_id, public.capas_version_de(%(tabla)s, c.id) AS version,
                   (SELECT ST_CollectionExtract(ST_Union(ST_Transform(e.geom, %(srid)s)), 3)
                    FROM capas_elementoreferencia e WHERE e.capa_id = c.id) AS geom
            FROM capas_capareferencia c WHERE c.cut = %(cut)s AND c.categoria = %(categoria)s
            """,
            {
                "tabla": TABLA_ELEMENTOS,
                "srid": comuna.srid_metrico,
                "cut": comuna.cut,
                "categoria": categoria,
            },
        )
        cursor.execute(
            """
            INSERT INTO ordenamiento_categoriapreparada (comuna_id, categoria, firma, srid, preparada)
            SELECT %s, %s,
                   coalesce(string_agg(capa_id || ':' || coalesce(version, 0), ',' ORDER BY capa_id), ''),
                   %s, now()
            FROM _ordenamiento_disueltas RETURNING id
            """,
            [comuna.pk, categoria, comuna.srid_metrico],
        )
        preparada = cursor.fetchone()[0]
        # Nivel 2: cada par de capas que se superponen.
        cursor.execute(
            """
            CREATE TEMP TABLE _ordenamiento_nivel AS
            SELECT ARRAY[a.capa_id, b.capa_id] AS capas,
                   ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3) AS geom
            FROM _ordenamiento_disueltas a JOIN _ordenamiento_disueltas b
              ON a.capa_id < b.capa_id AND ST_Intersects(a.geom, b.geom)
            """
        )
        fragmentos, signo = 0, -1
        while True:
            cursor.execute(
                """
                INSERT INTO ordenamiento_fragmentocategoria (categoria_id, signo, geom, area_m2)
                SELECT %s, %s, f.geom, ST_Area(f.geom)
                FROM _ordenamiento_nivel n, LATERAL ST_Subdivide(n.geom, %s) AS f(geom)
                WHERE NOT ST_IsEmpty(n.geom) AND ST_Area(f.geom) > 0
                """,
                [preparada, signo, vertices_por_fragmento()],
            )
            fragmentos += cursor.rowcount
            # Nivel siguiente: lo de este nivel que además cae en una capa de id mayor.
            cursor.execute(
                """
                CREATE TEMP TABLE _ordenamiento_siguiente AS
                SELECT n.capas || d.capa_id AS capas,
                       ST_CollectionExtract(ST_Intersection(n.geom, d.geom), 3) AS geom
                FROM _ordenamiento_nivel n JOIN _ordenamiento_disueltas d
                  ON d.capa_id > n.capas[array_upper(n.capas, 1)] AND ST_Intersects(n.geom, d.geom)
                WHERE NOT ST_IsEmpty(n.geom)
                """
            )
            cursor.execute("DROP TABLE _ordenamiento_nivel")
            cursor.execute("ALTER TABLE _ordenamiento_siguiente RENAME TO _ordenamiento_nivel")
            cursor.execute("SELECT count(*) FROM _ordenamiento_nivel")
            if cursor.fetchone()[0] == 0:
                break
            signo = -signo
        cursor.execute("DROP TABLE _ordenamiento_disueltas, _ordenamiento_nivel")
        return fragmentos


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
