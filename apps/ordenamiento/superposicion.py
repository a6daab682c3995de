"""Informe de superposición (como un CIP): qué zonas, restricciones y localidades toca un polígono.

Todo lo métrico se calcula en PostGIS en el SRID UTM de la comuna (``Comuna.srid_metrico``). Las
áreas por categoría y por capa salen de los fragmentos preparados (``preparacion``) cuando siguen
vigentes, y de los elementos (``ST_Union`` de las intersecciones) cuando no: el resultado es el
mismo, sin contar dos veces lo que se superpone dentro de una capa o de una categoría.
"""

import json

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from apps.ordenamiento import preparacion
from apps.ordenamiento.choices import Condicion
from apps.ordenamiento.restricciones import POR_CATEGORIA, RESTRICCIONES
from capas.geometria import validar_dentro_de, validar_geometria

# De más a menos grave: el veredicto es la peor condición que toca el polígono.
GRAVEDAD = (Condicion.PROHIBIDO, Condicion.CONDICIONADO, Condicion.PERMITIDO)
SIN_NORMA = "sin_norma"
_CLAVES_NOMBRE = ("nombre", "name", "nom", "titulo", "denominacion", "descripcion")

_AREA_FRAGMENTOS = """
    SELECT {clave}, sum({factor} * CASE WHEN ST_CoveredBy(f.geom, p.g) THEN f.area_m2
                                        ELSE ST_Area(ST_Intersection(f.geom, p.g)) END)
    FROM {tabla} f, p
    WHERE f.{columna} = ANY(%(ids_{nombre})s) AND f.geom && p.g AND ST_Intersects(f.geom, p.g)
    GROUP BY 1
"""
_AREA_ELEMENTOS = """
    SELECT {clave}, ST_Area(ST_Union(ST_Intersection(ST_Transform(e.geom, %(srid)s), p.g)))
    FROM capas_elementoreferencia e JOIN capas_capareferencia c ON c.id = e.capa_id, p
    WHERE e.capa_id = ANY(%(ids_{nombre})s) AND e.geom && p.g4326 AND ST_Intersects(e.geom, p.g4326)
    GROUP BY 1
"""


def radio_por_omision() -> float:
    """Devuelve el radio (m) en que se busca la restricción más cercana (TERRITORIO_RADIO_CERCANIA_M)."""
    return settings.TERRITORIO_RADIO_CERCANIA_M


def _parametros(geom: GEOSGeometry, comuna) -> dict:
    """Devuelve los parámetros comunes: el polígono en EWKB y el SRID métrico de la comuna."""
    return {"geom": geom.ewkb, "srid": comuna.srid_metrico}


_CTE_P = """
    WITH p AS (
        SELECT ST_Transform(g4326, %(srid)s) AS g, g4326
        FROM (SELECT ST_Transform(%(geom)s::geometry, 4326) AS g4326) q
    )
"""


def areas_restricciones(geom: GEOSGeometry, *, comuna) -> tuple[dict, dict, list[dict]]:
    """Devuelve ({categoría: m²}, {capa_id: m²}, capas) de la intersección con cada restricción.

    Una sola sentencia. Capas preparadas: suma sobre sus fragmentos (disueltos: sin doble conteo
    dentro de la capa). Categoría preparada: la suma de sus capas más la inclusión–exclusión donde
    sus capas se superponen. Lo que no esté preparado o vigente, desde los elementos.
    """
    capas = preparacion.capas_de_restriccion(comuna)
    listas = preparacion.categorias_listas(comuna, preparacion.firmas(capas))
    # Una categoría vale si su firma coincide y todas sus capas tienen fragmentos vigentes.
    listas = {
        categoria: pk
        for categoria, pk in listas.items()
        if all(c["lista"] for c in capas if c["categoria"] == categoria)
    }
    partes = [
        _AREA_FRAGMENTOS.format(
            clave="'k' || f.categoria_id",
            factor="f.signo",
            tabla="ordenamiento_fragmentocategoria",
            columna="categoria_id",
            nombre="cat",
        ),
        _AREA_ELEMENTOS.format(clave="'c' || c.categoria", nombre="catp"),
        _AREA_FRAGMENTOS.format(
            clave="'l' || f.capa_id",
            factor="1",
            tabla="ordenamiento_fragmentocapa",
            columna="capa_id",
            nombre="capa",
        ),
        _AREA_ELEMENTOS.format(clave="'l' || e.capa_id", nombre="capap"),
    ]
    parametros = {
        **_parametros(geom, comuna),
        "ids_cat": list(listas.values()),
        "ids_catp": [c["id"] for c in capas if c["categoria"] not in listas],
        "ids_capa": [c["id"] for c in capas if c["lista"]],
        "ids_capap": [c["id"] for c in capas if not c["lista"]],
    }
    with connection.cursor() as cursor:
        cursor.execute(_CTE_P + " UNION ALL ".join(f"({parte})" for parte in partes), parametros)
        filas = cursor.fetchall()
    por_id = {pk: categoria for categoria, pk in listas.items()}
    categorias: dict[str, float] = {}
    por_capa: dict[int, float] = {}
    excesos: dict[str, float] = {}
    for clave, area in filas:
        tipo, valor = clave[0], clave[1:]
        if tipo == "k":
            excesos[por_id[int(valor)]] = area or 0.0
        elif tipo == "c":
            categorias[valor] = area or 0.0
        else:
            por_capa[int(valor)] = area or 0.0
    for categoria in listas:
        suma = sum(por_capa.get(c["id"], 0.0) for c in capas if c["categoria"] == categoria)
        if suma > 0:
            # Lo que se resta nunca deja la categoría bajo su mayor capa (ruido de coma flotante).
            categorias[categoria] = max(suma + excesos.get(categoria, 0.0), 0.0)
    return categorias, por_capa, capas


def _cercanas(geom: GEOSGeometry, *, comuna, capas: list[dict], radio_m: float) -> list[dict]:
    """Devuelve, por categoría, la capa y el elemento más cercanos dentro de ``radio_m``."""
    categorias = sorted({c["categoria"] for c in capas})
    if not categorias:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _CTE_P
            + """
            , candidatas AS (
                SELECT c.categoria, c.id AS capa_id, c.nombre, c.titulo, d.distancia, d.fid
                FROM capas_capareferencia c CROSS JOIN p CROSS JOIN LATERAL (
                    SELECT ST_Distance(f.geom, p.g) AS distancia, f.fid
                    FROM ordenamiento_fragmentoelemento f
                    WHERE f.capa_id = c.id AND f.geom && ST_Expand(p.g, %(radio)s)
                    ORDER BY f.geom <-> p.g LIMIT 1
                ) d
                WHERE c.id = ANY(%(listas)s)
                UNION ALL
                SELECT c.categoria, c.id, c.nombre, c.titulo, d.distancia, d.fid
                FROM capas_capareferencia c CROSS JOIN p CROSS JOIN LATERAL (
                    SELECT ST_Distance(ST_Transform(e.geom, %(srid)s), p.g) AS distancia, e.fid
                    FROM capas_elementoreferencia e
                    WHERE e.capa_id = c.id AND e.geom && ST_Transform(ST_Expand(p.g, %(radio)s), 4326)
                    ORDER BY 1, e.fid LIMIT 1
                ) d
                WHERE c.id = ANY(%(pendientes)s)
            ), mejor AS (
                SELECT DISTINCT ON (categoria) * FROM candidatas
                WHERE distancia <= %(radio)s ORDER BY categoria, distancia, capa_id
            )
            SELECT m.categoria, m.nombre, m.titulo, m.distancia, m.fid, e.atributos
            FROM mejor m JOIN capas_elementoreferencia e ON e.capa_id = m.capa_id AND e.fid = m.fid
            ORDER BY m.distancia, m.categoria
            """,
            {
                **_parametros(geom, comuna),
                "radio": radio_m,
                "listas": [c["id"] for c in capas if c["lista"]],
                "pendientes": [c["id"] for c in capas if not c["lista"]],
            },
        )
        filas = cursor.fetchall()
    return [
        {
            "categoria": categoria,
            "etiqueta": str(POR_CATEGORIA[categoria].categoria.etiqueta),
            "capa": nombre,
            "titulo": titulo,
            "fid": fid,
            "elemento": _nombre_elemento(atributos, fid),
            "distancia_m": distancia,
        }
        for categoria, nombre, titulo, distancia, fid, atributos in filas
    ]


def _nombre_elemento(atributos: dict, fid: int) -> str:
    """Devuelve el nombre legible de un elemento (su atributo de nombre, o «elemento n»)."""
    if isinstance(atributos, str):  # jsonb llega como texto por el cursor de Django
        atributos = json.loads(atributos)
    for clave, valor in (atributos or {}).items():
        if any(clave.lower().startswith(c) for c in _CLAVES_NOMBRE) and valor not in (None, ""):
            return str(valor)
    return f"elemento {fid}"


def _zonas(geom: GEOSGeometry, *, comuna, uso: str | None) -> list[dict]:
    """Devuelve las zonas que toca el polígono con su área y la condición del uso en cada una."""
    with connection.cursor() as cursor:
        cursor.execute(
            _CTE_P
            + """
            SELECT z.id, z.codigo, z.nombre, z.instrumento, z.nombre_instrumento,
                   ST_Area(ST_Intersection(ST_Transform(z.geom, %(srid)s), p.g)) AS area, u.condicion
            FROM ordenamiento_zona z CROSS JOIN p
            LEFT JOIN ordenamiento_usozona u ON u.zona_id = z.id AND u.uso = %(uso)s
            WHERE z.comuna_id = %(comuna)s AND z.geom && p.g4326 AND ST_Intersects(z.geom, p.g4326)
            ORDER BY area DESC, z.codigo
            """,
            {**_parametros(geom, comuna), "comuna": comuna.pk, "uso": uso or ""},
        )
        filas = cursor.fetchall()
    return [
        {
            "zona": pk,
            "codigo": codigo,
            "nombre": nombre,
            "instrumento": instrumento,
            "nombre_instrumento": nombre_instrumento,
            "area_m2": area,
            "condicion": condicion,
        }
        for pk, codigo, nombre, instrumento, nombre_instrumento, area, condicion in filas
        if area > 0
    ]


def _localidades(geom: GEOSGeometry, *, comuna) -> list[dict]:
    """Devuelve las localidades o sectores que toca el polígono (por su área o su ubicación)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _CTE_P
            + """
            SELECT l.id, l.nombre, l.tipo,
                   CASE WHEN l.area IS NOT NULL
                        THEN ST_Area(ST_Intersection(ST_Transform(l.area, %(srid)s), p.g)) END
            FROM comunas_localidad l, p
            WHERE l.comuna_id = %(comuna)s AND (
                (l.area IS NOT NULL AND l.area && p.g4326 AND ST_Intersects(l.area, p.g4326))
                OR (l.area IS NULL AND ST_Intersects(l.ubicacion, p.g4326)))
            ORDER BY l.nombre
            """,
            {**_parametros(geom, comuna), "comuna": comuna.pk},
        )
        return [
            {"localidad": pk, "nombre": nombre, "tipo": tipo, "area_m2": area}
            for pk, nombre, tipo, area in cursor.fetchall()
        ]


def _area(geom: GEOSGeometry, *, comuna) -> float:
    """Devuelve el área del polígono en m² medida en el SRID métrico de la comuna."""
    with connection.cursor() as cursor:
        cursor.execute(_CTE_P + "SELECT ST_Area(p.g) FROM p", _parametros(geom, comuna))
        return cursor.fetchone()[0]


def _porcentaje(parte: float, total: float) -> float:
    """Devuelve ``parte`` como porcentaje de ``total`` (0 si el total es 0)."""
    return 100.0 * parte / total if total else 0.0


def _veredicto(uso: str | None, condiciones: list[str | None]) -> str | None:
    """Devuelve la condición más grave del uso entre zonas y restricciones (o «sin_norma»)."""
    if not uso:
        return None
    for condicion in GRAVEDAD:
        if condicion in condiciones:
            return str(condicion)
    return SIN_NORMA


def informe_superposicion(
    geom: GEOSGeometry, *, comuna, uso: str | None = None, radio_m: float | None = None
) -> dict:
    """Devuelve el informe de superposición del polígono ``geom`` en la comuna (dict JSON)."""
    radio_m = radio_por_omision() if radio_m is None else float(radio_m)
    area = _area(geom, comuna=comuna)
    categorias, por_capa, capas = areas_restricciones(geom, comuna=comuna)
    filas_categoria = []
    for restriccion in RESTRICCIONES:
        area_categoria = categorias.get(restriccion.valor, 0.0)
        if area_categoria <= 0:
            continue
        filas_capa = [
            {
                "capa": c["nombre"],
                "titulo": c["titulo"],
                "area_m2": por_capa[c["id"]],
                "porcentaje": _porcentaje(por_capa[c["id"]], area),
            }
            for c in capas
            if c["categoria"] == restriccion.valor and por_capa.get(c["id"], 0) > 0
        ]
        filas_categoria.append(
            {
                "categoria": restriccion.valor,
                "etiqueta": str(restriccion.categoria.etiqueta),
                "fundamento": str(restriccion.fundamento),
                "condicion": restriccion.condicion_para(uso),
                "area_m2": area_categoria,
                "porcentaje": _porcentaje(area_categoria, area),
                "capas": sorted(filas_capa, key=lambda f: -f["area_m2"]),
            }
        )
    zonas = _zonas(geom, comuna=comuna, uso=uso)
    for zona in zonas:
        zona["porcentaje"] = _porcentaje(zona["area_m2"], area)
    condiciones = [z["condicion"] for z in zonas] + [c["condicion"] for c in filas_categoria]
    return {
        "area_m2": area,
        "area_ha": area / 10_000,
        "uso": uso,
        "srid_metrico": comuna.srid_metrico,
        "radio_m": radio_m,
        "calculado": timezone.localtime().isoformat(timespec="seconds"),
        "categorias": filas_categoria,
        "zonas": zonas,
        "distancias": _cercanas(geom, comuna=comuna, capas=capas, radio_m=radio_m),
        "localidades": _localidades(geom, comuna=comuna),
        "veredicto": _veredicto(uso, condiciones),
    }


def informe_de_propuesta(propuesta) -> dict:
    """Devuelve el informe de superposición de una propuesta con su uso propuesto."""
    return informe_superposicion(propuesta.geom, comuna=propuesta.comuna, uso=propuesta.uso_propuesto)


def poligono_para_analisis(geom: GEOSGeometry, *, comuna, campo: str = "geometria") -> GEOSGeometry:
    """Devuelve el polígono validado para el informe o lanza ValidationError en español.

    Exige polígono válido (con motivo y lugar si no), de área positiva, con un tope de vértices
    (TERRITORIO_ANALISIS_MAX_VERTICES) y dentro de la comuna con su tolerancia.
    """
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValidationError({campo: "El análisis se hace sobre un polígono o multipolígono."})
    maximo = settings.TERRITORIO_ANALISIS_MAX_VERTICES
    if geom.num_coords > maximo:
        raise ValidationError(
            {campo: f"El polígono tiene {geom.num_coords} vértices; el máximo es {maximo}: simplifíquelo."}
        )
    geom = validar_geometria(geom, campo=campo)
    if geom.empty or geom.area == 0:
        raise ValidationError({campo: "El polígono no tiene superficie."})
    validar_dentro_de(
        geom,
        limite=comuna.limite_admisible,
        nombre=str(comuna),
        tolerancia_m=comuna.tolerancia_m,
        campo=campo,
    )
    return geom
