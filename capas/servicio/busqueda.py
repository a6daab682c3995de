"""Búsqueda del visor (``GET /capas/buscar/?q=``) sobre las capas que el usuario puede ver.

Cada capa declara en ``Capa.busqueda`` las expresiones SQL (sobre ``t``) en que se busca; la
primera es la etiqueta del resultado (el nombre). La comparación no distingue mayúsculas ni tildes
(``translate`` + ``lower``, funciones inmutables del núcleo de PostgreSQL: no requiere la extensión
unaccent) y busca el texto en cualquier parte; el orden es: igual, empieza por, contiene. El texto
del usuario viaja siempre como parámetro (``LIKE %s ESCAPE``), nunca dentro del SQL.
"""

import unicodedata

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from capas.registro import registro
from capas.servicio.autenticacion import acceso_a_capas
from capas.servicio.consultas import ParametroInvalido

MAX_LARGO = 100
CON_TILDE = "ÁÀÄÂÉÈËÊÍÌÏÎÓÒÖÔÚÙÜÛÑÇáàäâéèëêíìïîóòöôúùüûñç"
SIN_TILDE = "AAAAEEEEIIIIOOOOUUUUNCaaaaeeeeiiiioooouuuunc"


def max_resultados() -> int:
    """Devuelve cuántos resultados entrega como máximo una búsqueda."""
    return getattr(settings, "CAPAS_BUSQUEDA_MAX_RESULTADOS", 20)


@require_safe
@acceso_a_capas
def buscar(request):
    """Devuelve ``{"resultados": [{capa, titulo_capa, id, etiqueta, bbox}]}`` para ``?q=``."""
    texto = leer_texto(request.GET.get("q"))
    capas = [c for c in registro.para_visor(request.user) if c.busqueda]
    resultados = buscar_en(capas, texto, tope=max_resultados())
    return JsonResponse({"resultados": resultados}, json_dumps_params={"ensure_ascii": False})


def leer_texto(q: str | None) -> str:
    """Devuelve el texto buscado sin espacios sobrantes; vacío o de más de 100 caracteres → 400."""
    texto = " ".join((q or "").split())
    if not texto:
        raise ParametroInvalido("Escriba qué buscar en el parámetro q (nombre, rol, código BIP…).")
    if len(texto) > MAX_LARGO:
        raise ParametroInvalido(f"El texto a buscar es muy largo: máximo {MAX_LARGO} caracteres.")
    return texto


def normalizar(texto: str) -> str:
    """Devuelve el texto como lo compara la base: minúsculas y sin tildes (igual que ``_sql_normal``)."""
    sin_tildes = "".join(c for c in unicodedata.normalize("NFKD", texto) if not unicodedata.combining(c))
    return sin_tildes.lower()


def _sql_normal(expresion: str) -> str:
    """Devuelve la expresión SQL del texto en minúsculas y sin tildes."""
    return f"lower(translate(({expresion})::text, '{CON_TILDE}', '{SIN_TILDE}'))"


def _escapar_like(texto: str) -> str:
    """Escapa los comodines de LIKE (``%``, ``_``) y la barra de escape."""
    return texto.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _consulta_capa(capa, texto: str, tope: int) -> tuple[str, list]:
    """Devuelve la selección de resultados de una capa (a lo más ``tope``) y sus parámetros."""
    normal = normalizar(texto)
    igual, prefijo, contiene = normal, _escapar_like(normal) + "%", "%" + _escapar_like(normal) + "%"
    fuente = capa.fuente
    expresiones = [_sql_normal(e) for e in capa.busqueda]
    rangos = [
        f"CASE WHEN {e} = %s THEN 0 WHEN {e} LIKE %s ESCAPE '\\' THEN 1 "
        f"WHEN {e} LIKE %s ESCAPE '\\' THEN 2 ELSE 3 END"
        for e in expresiones
    ]
    valores = ", ".join(f"({e})::text" for e in capa.busqueda)
    columnas = (
        f"{fuente.pk} AS id, LEAST({', '.join(rangos)}) AS rango, ARRAY[{valores}] AS valores, "
        f"Box2D({fuente.geom}) AS caja"
    )
    donde = (
        f"{fuente.geom} IS NOT NULL AND ("
        + " OR ".join(f"{e} LIKE %s ESCAPE '\\'" for e in expresiones)
        + ")"
    )
    sql, params = fuente.seleccion(
        columnas=columnas,
        donde=donde,
        parametros=tuple(contiene for _ in expresiones),
        parametros_columnas=tuple(p for _ in expresiones for p in (igual, prefijo, contiene)),
    )
    return (
        f"(SELECT %s AS capa, s.id, s.rango, s.valores, ST_XMin(s.caja), ST_YMin(s.caja), "
        f"ST_XMax(s.caja), ST_YMax(s.caja) FROM ({sql}) s ORDER BY s.rango, s.valores[1], s.id LIMIT %s)",
        [capa.nombre, *params, tope],
    )


def buscar_en(capas, texto: str, *, tope: int) -> list[dict]:
    """Devuelve los mejores ``tope`` resultados de ``texto`` en ``capas``, en una sola sentencia."""
    if not capas:
        return []
    partes, parametros = [], []
    for capa in capas:
        sql, params = _consulta_capa(capa, texto, tope)
        partes.append(sql)
        parametros.extend(params)
    orden = {capa.nombre: i for i, capa in enumerate(capas)}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(partes), parametros)
        filas = cursor.fetchall()
    filas.sort(key=lambda f: (f[2], orden[f[0]], normalizar(f[3][0] or ""), f[1]))
    titulos = {capa.nombre: capa.titulo for capa in capas}
    return [
        {
            "capa": nombre,
            "titulo_capa": titulos[nombre],
            "id": clave,
            "etiqueta": _etiqueta(valores, texto),
            "bbox": [oeste, sur, este, norte],
        }
        for nombre, clave, _rango, valores, oeste, sur, este, norte in filas[:tope]
    ]


def _etiqueta(valores: list, texto: str) -> str:
    """Devuelve el nombre del elemento y, si el texto coincidió con otro campo, ese valor.

    P. ej. «[DEMO] Estadio municipal · 500-12» al buscar un rol SII.
    """
    nombre = valores[0] or ""
    buscado = normalizar(texto)
    if buscado in normalizar(nombre):
        return nombre
    otro = next((v for v in valores[1:] if v and buscado in normalizar(v)), None)
    return f"{nombre} · {otro}" if otro and nombre else (otro or nombre)
