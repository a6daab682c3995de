"""Sentencias de lectura del servicio: PostGIS arma el GeoJSON entero, Python solo lo entrega.

Cada elemento sale como texto JSON hecho en la base (``ST_AsGeoJSON`` y ``to_json`` de sus
atributos); el texto se concatena en SQL en vez de pasar por ``json``, que lo volvería a analizar.
"""

import math

from django.db import connection, transaction

from capas.fuentes import FuenteSQL
from capas.srid import srid_almacenamiento

# Decimales de grado en las coordenadas: 7 ≈ 1 cm, más fino que cualquier dato municipal.
PRECISION = 7
# Elementos leídos por cada FETCH del cursor con nombre al transmitir capas grandes.
LOTE = 1000


class ParametroInvalido(ValueError):
    """Parámetro de consulta inválido: la vista responde 400 con este mensaje."""


def leer_bbox(texto: str | None) -> tuple[float, float, float, float] | None:
    """Devuelve el bbox ``oeste,sur,este,norte`` (lon/lat WGS 84) del parámetro, o None si no viene."""
    if not texto:
        return None
    partes = texto.split(",")
    if len(partes) == 6:  # con alturas (oeste,sur,abajo,este,norte,arriba): se ignoran
        partes = [partes[0], partes[1], partes[3], partes[4]]
    if len(partes) != 4:
        raise ParametroInvalido("bbox debe tener cuatro números: oeste,sur,este,norte.")
    try:
        oeste, sur, este, norte = (float(p) for p in partes)
    except ValueError:
        raise ParametroInvalido(f"bbox no es numérico: «{texto}».")
    if not all(math.isfinite(v) for v in (oeste, sur, este, norte)):
        raise ParametroInvalido("bbox debe tener números finitos.")
    if not (-180 <= oeste <= este <= 180 and -90 <= sur <= norte <= 90):
        raise ParametroInvalido(
            "bbox fuera de rango: oeste ≤ este en [-180, 180] y sur ≤ norte en [-90, 90]."
        )
    return oeste, sur, este, norte


# Simplificación del visor: entre un cienmilésimo de grado (~1 m) y un décimo (~10 km) por píxel.
SIMPLIFICAR_MIN, SIMPLIFICAR_MAX = 1e-6, 0.1


def leer_simplificar(texto: str | None) -> float | None:
    """Devuelve la tolerancia de simplificación en grados (``?simplificar=``), o None si no viene.

    El visor pide medio píxel de su zoom: lo que dibuja no cambia a la vista y una capa de polígonos
    de 150.000 vértices viaja con los que se ven. Identificar, la tabla y las exportaciones leen la
    geometría entera.
    """
    if not texto:
        return None
    try:
        tolerancia = float(texto)
    except ValueError:
        raise ParametroInvalido(f"simplificar no es numérico: «{texto[:40]}».")
    if not SIMPLIFICAR_MIN <= tolerancia <= SIMPLIFICAR_MAX:
        raise ParametroInvalido(
            f"simplificar debe estar entre {SIMPLIFICAR_MIN:g} y {SIMPLIFICAR_MAX:g} grados."
        )
    return tolerancia


def filtro_bbox(fuente: FuenteSQL, bbox, *, exacto: bool = False) -> tuple[str, tuple]:
    """Devuelve la condición SQL del bbox sobre la columna indexada (``exacto``: que la intersecte).

    ``&&`` compara cajas y basta para un visor; OGC API exige que la geometría toque el bbox.
    """
    if bbox is None:
        return "TRUE", ()
    caja = f"ST_MakeEnvelope(%s, %s, %s, %s, {srid_almacenamiento()})"
    if exacto:
        return f"ST_Intersects({fuente.geom}, {caja})", tuple(bbox)
    return f"{fuente.geom} && {caja}", tuple(bbox)


def expresion_elemento(fuente: FuenteSQL, simplificar: float | None = None) -> str:
    """Devuelve la expresión SQL que produce el texto de un Feature GeoJSON (id = clave primaria).

    Con ``simplificar`` (grados) las líneas y polígonos se simplifican sin romper su topología y las
    coordenadas llevan solo los decimales que esa tolerancia distingue.
    """
    geom, precision = fuente.geom_salida, str(PRECISION)
    if simplificar:
        tolerancia = float(simplificar)
        decimales = min(PRECISION, max(1, math.ceil(-math.log10(tolerancia)) + 1))
        simple = f"ST_SimplifyPreserveTopology({geom}, {tolerancia!r})"
        # Mismo tipo que la original (un MultiPolygon de una parte no pasa a Polygon); los puntos
        # quedan intactos, con todos sus decimales.
        geom = (
            f"CASE WHEN ST_Dimension({geom}) = 0 THEN {geom}"
            f" WHEN GeometryType({geom}) LIKE 'MULTI%%' THEN ST_Multi({simple}) ELSE {simple} END"
        )
        precision = f"CASE WHEN ST_Dimension({fuente.geom_salida}) = 0 THEN {PRECISION} ELSE {decimales} END"
    return (
        """'{"type":"Feature","id":' || """
        f"{fuente.pk}::text"
        """ || ',"geometry":' || """
        f"COALESCE(ST_AsGeoJSON({geom}, {precision}), 'null')"
        """ || ',"properties":' || """
        f"{_propiedades(fuente)}::text"
        " || '}'"
    )


def _propiedades(fuente: FuenteSQL) -> str:
    """Devuelve la expresión del objeto JSON de propiedades del elemento."""
    if fuente.propiedades_json:
        return f"COALESCE({fuente.propiedades_json}, '{{}}'::jsonb)"
    return f"(SELECT to_json(a) FROM (SELECT {fuente.columnas_atributos()}) a)"


def _seleccion_elementos(
    fuente: FuenteSQL, donde: str, parametros: tuple, simplificar: float | None = None
) -> tuple[str, tuple]:
    """Devuelve la selección de (texto del elemento, clave) con el filtro de la fuente y ``donde``."""
    return fuente.seleccion(
        columnas=f'{expresion_elemento(fuente, simplificar)} AS "elemento", {fuente.pk} AS "clave"',
        donde=donde,
        parametros=parametros,
    )


def coleccion(
    fuente: FuenteSQL, *, donde: str, parametros: tuple, tope: int, simplificar: float | None = None
) -> str | None:
    """Devuelve el FeatureCollection como texto armado por PostGIS, o None si pasa de ``tope`` elementos.

    Una sola sentencia: el CASE solo arma el JSON si el sondeo (que lee claves, no geometrías) cabe en
    ``tope``; si no, la vista lo transmite por lotes.
    """
    sql_sondeo, params_sondeo = fuente.seleccion(columnas="1", donde=donde, parametros=parametros)
    sql, params = _seleccion_elementos(fuente, donde, parametros, simplificar)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT CASE WHEN (SELECT count(*) FROM ({sql_sondeo} LIMIT %s) c) <= %s THEN ("
            """SELECT '{"type":"FeatureCollection","features":['"""
            """ || COALESCE(string_agg(s.elemento, ',' ORDER BY s.clave), '') || ']}'"""
            f" FROM ({sql}) s) END",
            (*params_sondeo, tope + 1, tope, *params),
        )
        return cursor.fetchone()[0]


def elementos_por_lotes(
    fuente: FuenteSQL, *, donde: str, parametros: tuple, lote: int = LOTE, simplificar: float | None = None
):
    """Genera listas de textos de elementos leídas por lotes con un cursor con nombre (del servidor)."""
    sql, params = _seleccion_elementos(fuente, donde, parametros, simplificar)
    # Dentro de una transacción el cursor con nombre no necesita WITH HOLD (que materializaría todo).
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT s.elemento FROM ({sql}) s ORDER BY s.clave", params)
        while filas := cursor.fetchmany(lote):
            yield [fila[0] for fila in filas]


def pagina(
    fuente: FuenteSQL, *, donde: str, parametros: tuple, limite: int, desplazamiento: int
) -> tuple[int, int, str]:
    """Devuelve (total, devueltos, texto de la lista de elementos) de una página ordenada por clave."""
    sql_conteo, params_conteo = fuente.seleccion(columnas="1", donde=donde, parametros=parametros)
    sql, params = _seleccion_elementos(fuente, donde, parametros)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM ({sql_conteo}) c), count(*),"
            " '[' || COALESCE(string_agg(s.elemento, ',' ORDER BY s.clave), '') || ']'"
            f" FROM ({sql} ORDER BY {fuente.pk} LIMIT %s OFFSET %s) s",
            (*params_conteo, *params, limite, desplazamiento),
        )
        return cursor.fetchone()


def elemento(fuente: FuenteSQL, clave: int) -> str | None:
    """Devuelve el texto del Feature con esa clave primaria, o None si no existe en la capa."""
    sql, params = _seleccion_elementos(fuente, f"{fuente.pk} = %s", (clave,))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT s.elemento FROM ({sql}) s", params)
        fila = cursor.fetchone()
    return fila[0] if fila else None


def valores_legibles(fuente: FuenteSQL, claves: list[int]) -> dict[int, tuple]:
    """Devuelve {clave: atributos como los lee una persona} de esos elementos (páginas HTML)."""
    if not claves:
        return {}
    sql, params = fuente.seleccion(
        columnas=f"{fuente.pk}, {fuente.columnas_legibles()}",
        donde=f"{fuente.pk} = ANY(%s)",
        parametros=(list(claves),),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {fila[0]: fila[1:] for fila in cursor.fetchall()}


def extensiones(capas) -> dict[str, tuple[float, float, float, float] | None]:
    """Devuelve la extensión (oeste, sur, este, norte) de cada capa, todas en una sola sentencia."""
    if not capas:
        return {}
    partes, params = [], []
    for capa in capas:
        sql, p = capa.fuente.seleccion(columnas=f"ST_Extent({capa.fuente.geom})")
        partes.append(f"SELECT %s, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM ({sql}) s(e)")
        params.extend((capa.nombre, *p))
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(partes), params)
        filas = cursor.fetchall()
    return {
        nombre: (None if oeste is None else (oeste, sur, este, norte))
        for nombre, oeste, sur, este, norte in filas
    }
