"""Teselas vectoriales (MVT) por capa: una sola sentencia ``ST_AsMVT`` por tesela, con ETag y caché.

Una tesela sin elementos responde 204 (sin cuerpo): los clientes MVT (QGIS, MapLibre) la tratan como
vacía y así no viajan ni se guardan bytes inútiles. Las teselas se guardan en la memoria del proceso
con la versión de su capa (capas/servicio/cache_teselas.py y versiones.py): cada petición hace una
sola ida a la base, que devuelve la versión y, solo si la guardada no es la vigente, la tesela.
"""

import gzip
import hashlib

import psycopg
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers, quote_etag
from django.views.decorators.http import require_safe

from capas.conexion_bd import es_error_de_conexion
from capas.fuentes import identificador_sql
from capas.registro import Capa, registro
from capas.servicio import consultas, versiones
from capas.servicio.autenticacion import acceso_a_capas
from capas.servicio.cache_teselas import Entrada, cache
from capas.srid import srid_almacenamiento

TIPO_MVT = "application/vnd.mapbox-vector-tile"
EXTENSION = 4096  # unidades por lado de la tesela (estándar MVT)
MARGEN = 64  # unidades de borde que evitan cortes visibles entre teselas vecinas
ZOOM_MAXIMO = 24
ZOOM_MAXIMO_ANUNCIADO = 22
# Bajo este zoom una tesela cubre más de 5 km: se simplifica antes de recortar, con tolerancia de una
# unidad de la tesela. ST_Simplify (nativo, conserva lo que colapsa) y no ST_SimplifyPreserveTopology:
# este pasa por GEOS y hacía la tesela 2 a 5 veces más lenta; ST_AsMVTGeom ya deja válidos los polígonos.
ZOOM_DETALLE = 13
LADO_MUNDO_M = 2 * 20037508.342789244
MAX_EDAD_S = 300
# Nombres internos de geometría e identificador: no chocan con atributos como "id" o "geom".
COLUMNA_GEOM = "__geom_mvt"
COLUMNA_ID = "__id_mvt"
TIPOS_TILEJSON = {"entero": "Number", "decimal": "Number", "booleano": "Boolean"}
# gzip solo si el cliente lo acepta, la tesela pasa de este tamaño (bajo ~1 KB no ahorra nada) y ya
# estaba en la caché: comprimir cuesta ~0,5 ms por tesela (un cuarto de su SQL), así que la primera
# petición de cada tesela y versión va sin comprimir y la compresión se hace una vez, en la segunda.
GZIP_MINIMO = 1024
GZIP_NIVEL = 1  # medido: casi la misma razón que el nivel 6 (0,63 vs 0,60), algo más rápido


def ruta_teselas(nombre: str) -> str:
    """Devuelve la ruta de las teselas de la capa hasta ``{z}/{x}/{y}.pbf`` (p. ej. «/tiles/comunas/»)."""
    return reverse("teselas:tesela", args=[nombre, 0, 0, 0]).removesuffix("0/0/0.pbf")


def tamano_unidad(z: int) -> float:
    """Devuelve el tamaño en metros (EPSG:3857) de una unidad de tesela en el zoom ``z``."""
    return LADO_MUNDO_M / (2**z) / EXTENSION


def _atributos_mvt(capa: Capa) -> list[str]:
    """Devuelve las columnas de atributos con tipos que MVT admite (números, texto, booleanos)."""
    columnas = []
    for atributo in capa.fuente.atributos:
        expresion = atributo.expresion
        if atributo.tipo == "decimal":
            expresion = f"({expresion})::double precision"
        elif atributo.tipo in ("fecha", "fecha_hora"):
            expresion = f"({expresion})::text"
        columnas.append(f"{expresion} AS {identificador_sql(atributo.nombre)}")
    return columnas


def sql_tesela(capa: Capa, z: int, x: int, y: int) -> tuple[str, tuple]:
    """Devuelve la sentencia ST_AsMVT de la tesela z/x/y y sus parámetros (z, x, y ya validados).

    z, x, y y la tolerancia van como parámetros, no en el texto: así el texto es el mismo para todas
    las teselas de la capa (dos variantes: con y sin simplificar) y PostgreSQL lo prepara una vez.
    """
    fuente = capa.fuente
    geom = f"ST_Transform({fuente.geom_salida}, 3857)"
    parametros_columnas: tuple = ()
    if z < ZOOM_DETALLE and "POINT" not in capa.tipo_geometria.upper():
        geom = f"ST_Simplify({geom}, %s::float8, true)"
        parametros_columnas = (tamano_unidad(z),)
    columnas = ", ".join(
        [
            f"ST_AsMVTGeom({geom}, ST_TileEnvelope(%s::int, %s::int, %s::int), {EXTENSION}, {MARGEN}, true) "
            f'AS "{COLUMNA_GEOM}"',
            f'{fuente.pk} AS "{COLUMNA_ID}"',
            *_atributos_mvt(capa),
        ]
    )
    # El filtro usa la columna indexada contra la envolvente (con margen) llevada al SRID guardado.
    donde = (
        f"{fuente.geom} && ST_Transform(ST_TileEnvelope(%s::int, %s::int, %s::int, "
        f"margin => {MARGEN / EXTENSION!r}), {srid_almacenamiento()})"
    )
    sql, parametros = fuente.seleccion(
        columnas=columnas,
        donde=donde,
        parametros=(z, x, y),
        parametros_columnas=(*parametros_columnas, z, x, y),
    )
    return (
        f"SELECT ST_AsMVT(q, %s::text, {EXTENSION}, '{COLUMNA_GEOM}', '{COLUMNA_ID}') FROM ({sql}) q",
        (capa.nombre, *parametros),
    )


def _cursor_preparable():
    """Devuelve un cursor de Django sobre un cursor de psycopg con parámetros enviados aparte.

    Los cursores de Django (``ClientCursor``) interpolan los parámetros en el texto y nunca preparan.
    Este sí: con ``prepare_threshold`` en las opciones de la base, psycopg prepara la sentencia de
    cada capa en la conexión y las teselas siguientes solo la ejecutan (sin analizar ni planificar:
    ~0,3 ms menos por tesela). Sigue pasando por el envoltorio de Django (registro de consultas,
    ``execute_wrapper``, errores de Django).
    """
    connection.ensure_connection()
    cursor = psycopg.Cursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)


def contenido_tesela(capa: Capa, z: int, x: int, y: int) -> bytes:
    """Devuelve los bytes MVT de la tesela (vacíos si no hay elementos), sin caché."""
    sql, parametros = sql_tesela(capa, z, x, y)
    with _cursor_preparable() as cursor:
        cursor.execute(sql, parametros)
        valor = cursor.fetchone()[0]
    return bytes(valor or b"")


def _una_ida(sql: str, parametros: tuple) -> tuple:
    """Ejecuta la sentencia con una sola ida a la base y devuelve su fila.

    Con ``CONN_HEALTH_CHECKS`` Django manda un ``SELECT 1`` antes de la primera consulta de cada
    petición: en una tesela tibia es la mitad de las idas a la base. Aquí se omite y, si la conexión
    persistente resultó muerta, se cierra y se reintenta una vez con una nueva: lo mismo que lograría
    la verificación, pagado solo cuando falla. Dentro de una transacción no se toca nada.
    """
    en_transaccion = connection.in_atomic_block
    if not en_transaccion and connection.connection is not None:
        connection.health_check_done = True
    try:
        with _cursor_preparable() as cursor:
            cursor.execute(sql, parametros)
            return cursor.fetchone()
    except Exception as error:
        if en_transaccion or not es_error_de_conexion(error):
            raise
    connection.close()
    with _cursor_preparable() as cursor:
        cursor.execute(sql, parametros)
        return cursor.fetchone()


def _etag(contenido: bytes) -> str:
    return quote_etag(hashlib.blake2b(contenido, digest_size=16).hexdigest())


def entrada_tesela(capa: Capa, z: int, x: int, y: int) -> tuple[Entrada, bool]:
    """Devuelve (tesela vigente, si venía de la caché): la guardada si su versión es la de la capa,
    o recién armada.

    Una sentencia: ``capas_version_de`` da la versión y el CASE arma la tesela solo si la guardada no
    es esa (la subconsulta no se evalúa si coincide). Versión y tesela, de la misma instantánea.
    """
    sql, parametros = sql_tesela(capa, z, x, y)
    clave = (sql, parametros)
    guardada = cache.obtener(clave)
    version_guardada = guardada.version if guardada is not None else -1
    version, vigente, valor = _una_ida(
        f"SELECT v, v = %s::bigint, CASE WHEN v = %s::bigint THEN NULL ELSE ({sql}) END "
        "FROM public.capas_version_de(%s::text, %s::bigint) v",
        (version_guardada, version_guardada, *parametros, *versiones.clave(capa)),
    )
    if vigente:
        return guardada, True
    contenido = bytes(valor or b"")
    entrada = Entrada(
        version=version if version is not None else -1, contenido=contenido, etag=_etag(contenido)
    )
    if version is not None:  # tabla sin triggers de versión: nunca se guarda
        cache.guardar(clave, entrada)
    return entrada, False


def _con_gzip(capa: Capa, z: int, x: int, y: int, entrada: Entrada) -> bytes:
    """Devuelve el contenido comprimido (una vez por versión: queda en la entrada guardada)."""
    if entrada.gzip is not None:
        return entrada.gzip
    comprimido = gzip.compress(entrada.contenido, compresslevel=GZIP_NIVEL, mtime=0)
    if entrada.version >= 0:
        clave = sql_tesela(capa, z, x, y)
        cache.guardar(clave, Entrada(entrada.version, entrada.contenido, entrada.etag, comprimido))
    return comprimido


def _acepta_gzip(request) -> bool:
    """Indica si se comprime: el cliente acepta gzip y no se apagó (TERRITORIO_TESELAS_GZIP)."""
    return getattr(settings, "TERRITORIO_TESELAS_GZIP", True) and "gzip" in request.META.get(
        "HTTP_ACCEPT_ENCODING", ""
    )


def _cache_control(capa: Capa) -> str:
    """Devuelve Cache-Control: compartible solo si la capa es pública."""
    return f"{'public' if capa.publica else 'private'}, max-age={MAX_EDAD_S}"


@require_safe
@acceso_a_capas
def tesela(request, nombre, z, x, y):
    """Devuelve la tesela MVT z/x/y de la capa (204 si está vacía, 304 si el ETag coincide)."""
    if z > ZOOM_MAXIMO or x >= 2**z or y >= 2**z:
        raise consultas.ParametroInvalido(f"Tesela fuera de rango: z ≤ {ZOOM_MAXIMO} y x, y < 2^z.")
    capa = registro.obtener(nombre, request.user)
    entrada, tibia = entrada_tesela(capa, z, x, y)
    if not entrada.contenido:
        respuesta = HttpResponse(status=204)
        respuesta["Cache-Control"] = _cache_control(capa)
        return respuesta
    comprimir = (
        len(entrada.contenido) >= GZIP_MINIMO
        and (tibia or entrada.gzip is not None)
        and _acepta_gzip(request)
    )
    # Un ETag por codificación: el mismo para ambas sería ambiguo para un caché intermedio.
    etag = entrada.etag[:-1] + '-gz"' if comprimir else entrada.etag
    respuesta = get_conditional_response(request, etag=etag)
    if respuesta is None:
        if comprimir:
            respuesta = HttpResponse(_con_gzip(capa, z, x, y, entrada), content_type=TIPO_MVT)
            respuesta["Content-Encoding"] = "gzip"
        else:
            respuesta = HttpResponse(entrada.contenido, content_type=TIPO_MVT)
    respuesta["ETag"] = etag
    patch_vary_headers(respuesta, ("Accept-Encoding",))
    respuesta["Cache-Control"] = _cache_control(capa)
    return respuesta


@require_safe
@acceso_a_capas
def tilejson(request, nombre):
    """Devuelve el TileJSON 3.0 de la capa: plantilla de teselas, extensión y campos."""
    capa = registro.obtener(nombre, request.user)
    extension = consultas.extensiones([capa])[capa.nombre] or (-180.0, -85.0511, 180.0, 85.0511)
    # Las llaves quedan fuera de build_absolute_uri, que las codificaría.
    plantilla = request.build_absolute_uri(ruta_teselas(capa.nombre)) + "{z}/{x}/{y}.pbf"
    oeste, sur, este, norte = extension
    documento = {
        "tilejson": "3.0.0",
        "name": capa.titulo,
        "description": capa.descripcion,
        "scheme": "xyz",
        "tiles": [plantilla],
        "minzoom": 0,
        "maxzoom": ZOOM_MAXIMO_ANUNCIADO,
        "bounds": [oeste, sur, este, norte],
        "center": [(oeste + este) / 2, (sur + norte) / 2, 12],
        "vector_layers": [
            {
                "id": capa.nombre,
                "description": capa.titulo,
                "fields": {a.nombre: TIPOS_TILEJSON.get(a.tipo, "String") for a in capa.fuente.atributos},
            }
        ],
    }
    return JsonResponse(documento, json_dumps_params={"ensure_ascii": False})
