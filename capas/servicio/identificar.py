"""Identificar y tabla de atributos del visor: lo que lee una persona, armado por PostGIS.

Identificar responde qué elementos de cada capa caen bajo un punto del mapa (con una tolerancia en
metros que el visor calcula según el zoom). Se resuelve en el servidor, no en el navegador: así vale
igual para las capas GeoJSON y las de teselas MVT (el clic de Leaflet.VectorGrid 1.3.0 no llega con
Leaflet ≥ 1.8, su issue #274) y los atributos salen legibles (etiquetas, nombre de la FK), que las
teselas no traen. Una sola sentencia para todas las capas: cada una aporta un ``SELECT`` al
``UNION ALL``; la distancia se mide en el SRID UTM del lugar (``capas.srid``), después de un filtro
por caja sobre la columna indexada.
"""

import json
import math

from django.db import connection
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.views.decorators.http import require_safe

from capas import filtros
from capas.registro import Capa, registro
from capas.servicio.autenticacion import acceso_a_capas
from capas.servicio.consultas import ParametroInvalido
from capas.srid import srid_almacenamiento, srid_metrico

# Tolerancia por omisión y máxima (m): un clic en un teléfono a zoom de comuna cubre ~100 m.
TOLERANCIA_M = 10.0
TOLERANCIA_MAXIMA_M = 5000.0
# Elementos por capa en una respuesta de identificar (los más cercanos al punto).
ELEMENTOS_POR_CAPA = 20
# Filas de la tabla de atributos: más que eso no se lee en un navegador; la exportación no tiene tope.
FILAS_TABLA = 10_000
METROS_POR_GRADO = 111_320.0
JSON_UTF8 = "application/json; charset=utf-8"


def _numero(request, nombre: str, minimo: float, maximo: float, por_defecto: float | None = None) -> float:
    """Devuelve el parámetro numérico ``nombre`` dentro de [minimo, maximo] o ParametroInvalido."""
    texto = request.GET.get(nombre)
    if texto in (None, ""):
        if por_defecto is None:
            raise ParametroInvalido(f"Falta el parámetro {nombre}.")
        return por_defecto
    try:
        valor = float(texto)
    except ValueError:
        raise ParametroInvalido(f"{nombre} no es un número: «{texto}».")
    if not (math.isfinite(valor) and minimo <= valor <= maximo):
        raise ParametroInvalido(f"{nombre} debe estar entre {minimo:g} y {maximo:g}.")
    return valor


def enlace_elemento(capa: Capa, clave) -> str:
    """Devuelve la URL de la ficha de un elemento: la propia de la capa o la HTML de OGC API."""
    if capa.enlace:
        return reverse(capa.enlace, args=[clave])
    return reverse("ogcapi:elemento", args=[capa.nombre, clave]) + "?f=html"


def columnas(capa: Capa) -> list[dict]:
    """Devuelve las columnas de la capa (nombre y título) en su orden."""
    return [{"nombre": a.nombre, "titulo": a.titulo or a.nombre} for a in capa.fuente.atributos]


def _filtros_de(request, capa: Capa) -> QueryDict:
    """Devuelve los ``f_*`` de la capa: ``<capa>.f_x`` (varias capas en un pedido) o ``f_x`` a secas."""
    propios = QueryDict(mutable=True)
    prefijo = capa.nombre + "."
    for clave, valores in request.GET.lists():
        if clave.startswith(prefijo + "f_"):
            propios.setlist(clave[len(prefijo) :], valores)
        elif clave.startswith("f_"):
            propios.setlist(clave, valores)
    return propios


def _seleccion_capa(capa: Capa, donde: str, parametros: tuple, orden: str, limite: int) -> tuple[str, tuple]:
    """Devuelve el SELECT de (capa, id, propiedades legibles, caja) de una capa, ordenado y acotado."""
    fuente = capa.fuente
    legibles = fuente.columnas_legibles() or "NULL AS _vacio"
    columnas_sql = (
        f"%s AS capa, {fuente.pk} AS id, (SELECT to_json(a) FROM (SELECT {legibles}) a) AS propiedades,"
        f" ST_XMin({fuente.geom}), ST_YMin({fuente.geom}), ST_XMax({fuente.geom}), ST_YMax({fuente.geom})"
    )
    sql, params = fuente.seleccion(
        columnas=columnas_sql, donde=donde, parametros=parametros, parametros_columnas=(capa.nombre,)
    )
    return f"({sql} ORDER BY {orden} LIMIT {int(limite)})", params


def elementos_bajo(
    capas: list[Capa], lon: float, lat: float, tolerancia_m: float, filtros=None
) -> list[dict]:
    """Devuelve, por capa, los elementos a ``tolerancia_m`` metros de (lon, lat).

    Primero lo más preciso: las capas van de su elemento más chico al más grande (un punto antes que
    un predio, y el límite comunal, que contiene todo clic, al final); a igual tamaño, en su orden.

    ``filtros`` es una función capa → (sql, parámetros) de la condición que cada capa ya tiene en el mapa.
    """
    if not capas:
        return []
    srid = srid_almacenamiento()
    metrico = srid_metrico(lon, lat)
    # Caja en grados algo mayor que la tolerancia (el filtro exacto viene después, en metros).
    dlat = tolerancia_m / METROS_POR_GRADO * 1.5 + 1e-9
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    caja = f"ST_MakeEnvelope(%s, %s, %s, %s, {srid})"
    punto = f"ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), {srid}), {metrico})"
    partes, params = [], []
    for capa in capas:
        geom = capa.fuente.geom
        donde = f"{geom} && {caja} AND ST_DWithin(ST_Transform({geom}, {metrico}), {punto}, %s)"
        params_donde = (lon - dlon, lat - dlat, lon + dlon, lat + dlat, lon, lat, tolerancia_m)
        sql_f, params_f = filtros(capa) if filtros else ("TRUE", ())
        orden = f"ST_Distance(ST_Transform({geom}, {metrico}), {punto}), {capa.fuente.pk}"
        sql, p = _seleccion_capa(
            capa, f"({donde}) AND ({sql_f})", (*params_donde, *params_f), orden, ELEMENTOS_POR_CAPA
        )
        partes.append(sql)
        # El ORDER BY va después del WHERE en el texto: sus parámetros (lon, lat) al final.
        params.extend((*p, lon, lat))
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(partes), params)
        filas = cursor.fetchall()
    por_capa = {capa.nombre: [] for capa in capas}
    for nombre, clave, propiedades, *caja_elemento in filas:
        por_capa[nombre].append((clave, propiedades, caja_elemento))
    resultado = []
    for capa in capas:
        elementos = [
            {
                "id": clave,
                "atributos": _json(propiedades),
                "bbox": caja_elemento,
                "enlace": enlace_elemento(capa, clave),
            }
            for clave, propiedades, caja_elemento in por_capa[capa.nombre]
        ]
        if elementos:
            resultado.append(
                {
                    "capa": capa.nombre,
                    "titulo": capa.titulo,
                    "columnas": columnas(capa),
                    "elementos": elementos,
                }
            )
    resultado.sort(key=lambda r: min(_area_caja(e["bbox"]) for e in r["elementos"]))
    return resultado


def _area_caja(caja) -> float:
    """Devuelve el área (en grados², basta para ordenar) de una caja (oeste, sur, este, norte)."""
    oeste, sur, este, norte = caja
    return (este - oeste) * (norte - sur)


def _json(valor):
    """Devuelve el objeto JSON leído de la base (psycopg lo entrega ya decodificado o como texto)."""
    return json.loads(valor) if isinstance(valor, str) else (valor or {})


def filas_tabla(capa: Capa, *, donde: str = "TRUE", parametros: tuple = (), limite: int = FILAS_TABLA):
    """Devuelve (filas, truncado) de la tabla de atributos legibles de la capa, ordenadas por clave."""
    sql, params = _seleccion_capa(capa, donde, parametros, capa.fuente.pk, limite + 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        filas = cursor.fetchall()
    filas_json = [
        {"id": clave, "atributos": _json(propiedades), "bbox": caja, "enlace": enlace_elemento(capa, clave)}
        for _nombre, clave, propiedades, *caja in filas[:limite]
    ]
    return filas_json, len(filas) > limite


def _responder_json(documento: dict) -> HttpResponse:
    """Devuelve el documento como JSON UTF-8 (sin escapar tildes)."""
    return HttpResponse(json.dumps(documento, ensure_ascii=False, default=str), content_type=JSON_UTF8)


@require_safe
@acceso_a_capas
def identificar(request):
    """Devuelve, por capa, los elementos bajo el punto (lon, lat) con atributos legibles y su enlace."""
    lon = _numero(request, "lon", -180, 180)
    lat = _numero(request, "lat", -90, 90)
    tolerancia = _numero(request, "tolerancia_m", 0, TOLERANCIA_MAXIMA_M, TOLERANCIA_M)
    nombres = [n for n in request.GET.get("capas", "").split(",") if n]
    if not nombres:
        raise ParametroInvalido("Indique las capas a consultar: capas=a,b.")
    # Una capa ajena o inexistente responde 404/401 como en el resto de las lecturas.
    capas = [registro.obtener(nombre, request.user) for nombre in dict.fromkeys(nombres)]
    resultado = elementos_bajo(
        capas, lon, lat, tolerancia, filtros=lambda capa: filtros.condicion(capa, _filtros_de(request, capa))
    )
    return _responder_json({"lon": lon, "lat": lat, "tolerancia_m": tolerancia, "capas": resultado})


@require_safe
@acceso_a_capas
def tabla(request, nombre):
    """Devuelve la tabla de atributos legibles de la capa (con los filtros ``f_*`` declarados)."""
    capa = registro.obtener(nombre, request.user)
    donde, parametros = filtros.condicion(capa, _filtros_de(request, capa))
    filas, truncado = filas_tabla(capa, donde=donde, parametros=parametros)
    return _responder_json(
        {
            "capa": capa.nombre,
            "titulo": capa.titulo,
            "columnas": columnas(capa),
            "filas": filas,
            "truncado": truncado,
        }
    )
