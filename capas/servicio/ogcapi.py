"""OGC API – Features, parte 1, en /ogcapi/: inicio, conformidad, colecciones, elementos y elemento.

Cada capa visible es una colección (id = nombre de la capa) y cada elemento se identifica por su
clave primaria. El GeoJSON de los elementos lo arma PostGIS; aquí solo se agregan enlaces.

El JSON (para máquinas: QGIS, OWSLib, el visor) lleva los valores guardados (``servicio_publico``,
``fuente = 2``), sin un segundo campo legible: duplicaría cada propiedad y un cliente que filtra
necesita el valor. Las páginas HTML (para personas) muestran las etiquetas («Servicio público», el
nombre de la fuente de financiamiento) bajo el título de cada atributo (``Atributo.legible``).
"""

import json
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from capas.registro import registro
from capas.servicio import consultas
from capas.servicio.autenticacion import acceso_a_capas, respuesta_error
from capas.servicio.openapi import LIMITE_MAXIMO, LIMITE_POR_DEFECTO, TIPO_OPENAPI, documento_openapi

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMIDAD = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
JSON, GEOJSON, HTML = "application/json", "application/geo+json", "text/html"
PARAMETROS_ELEMENTOS = {"f", "limit", "offset", "bbox", "bbox-crs", "datetime"}
CLAVE_MAXIMA = 2**63 - 1


def _formato(request, permitidos=("f",)) -> str:
    """Devuelve 'json' o 'html' según ``f`` o la cabecera Accept; rechaza parámetros desconocidos."""
    desconocidos = set(request.GET) - set(permitidos)
    if desconocidos:
        raise consultas.ParametroInvalido(f"Parámetros desconocidos: {', '.join(sorted(desconocidos))}.")
    pedido = request.GET.get("f")
    if pedido is None:
        preferido = request.get_preferred_type([JSON, GEOJSON, HTML])
        return "html" if preferido == HTML else "json"
    if pedido in ("json", "geojson"):
        return "json"
    if pedido == "html":
        return "html"
    raise consultas.ParametroInvalido(f"Formato «{pedido}» no disponible: use f=json o f=html.")


def _url(request, nombre: str, *args, **consulta) -> str:
    """Devuelve la URL absoluta de la ruta ``ogcapi:nombre`` con su consulta."""
    url = request.build_absolute_uri(reverse(f"ogcapi:{nombre}", args=args))
    consulta = {k: v for k, v in consulta.items() if v is not None}
    return f"{url}?{urlencode(consulta)}" if consulta else url


def _enlace(href: str, rel: str, tipo: str, titulo: str) -> dict:
    """Devuelve un enlace OGC API."""
    return {"href": href, "rel": rel, "type": tipo, "title": titulo}


def _enlaces_propios(request, nombre: str, *args, tipo: str = JSON) -> list[dict]:
    """Devuelve los enlaces self (JSON) y alternate (HTML) de un recurso."""
    return [
        _enlace(_url(request, nombre, *args, f="json"), "self", tipo, "Este documento"),
        _enlace(_url(request, nombre, *args, f="html"), "alternate", HTML, "Este documento en HTML"),
    ]


def _responder(request, formato: str, documento: dict, plantilla: str, tipo: str = JSON, **contexto):
    """Devuelve el documento en JSON o la página HTML que lo muestra."""
    if formato == "html":
        return render(request, f"capas/ogcapi/{plantilla}", {"documento": documento, **contexto})
    return JsonResponse(documento, content_type=tipo, json_dumps_params={"ensure_ascii": False})


def _coleccion(request, capa, extension) -> dict:
    """Devuelve la descripción OGC API de una capa (extensión en CRS84)."""
    documento = {
        "id": capa.nombre,
        "title": capa.titulo,
        "description": capa.descripcion or capa.grupo,
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            *_enlaces_propios(request, "coleccion", capa.nombre),
            _enlace(_url(request, "elementos", capa.nombre, f="json"), "items", GEOJSON, "Elementos"),
            _enlace(_url(request, "elementos", capa.nombre, f="html"), "items", HTML, "Elementos en HTML"),
        ],
    }
    if extension is not None:
        documento["extent"] = {"spatial": {"bbox": [list(extension)], "crs": CRS84}}
    return documento


@require_safe
@acceso_a_capas
def inicio(request):
    """Devuelve la página de inicio con los enlaces a la API, la conformidad y las colecciones."""
    formato = _formato(request)
    documento = {
        "title": "Territorio — OGC API – Features",
        "description": "Capas geoespaciales de la SECPLAC. Las capas no públicas piden usuario y clave.",
        "links": [
            *_enlaces_propios(request, "inicio"),
            _enlace(_url(request, "api"), "service-desc", TIPO_OPENAPI, "Definición de la API (OpenAPI 3.0)"),
            _enlace(_url(request, "conformidad"), "conformance", JSON, "Clases de conformidad"),
            _enlace(_url(request, "colecciones"), "data", JSON, "Colecciones"),
        ],
    }
    return _responder(request, formato, documento, "inicio.html")


@require_safe
@acceso_a_capas
def api(request):
    """Devuelve la definición OpenAPI 3.0 de la API."""
    url_base = request.build_absolute_uri(reverse("ogcapi:inicio")).rstrip("/")
    return JsonResponse(documento_openapi(url_base), content_type=TIPO_OPENAPI)


@require_safe
@acceso_a_capas
def conformidad(request):
    """Devuelve las clases de conformidad que cumple la API."""
    formato = _formato(request)
    return _responder(request, formato, {"conformsTo": CONFORMIDAD}, "conformidad.html")


@require_safe
@acceso_a_capas
def colecciones(request):
    """Devuelve las colecciones (capas) visibles para el usuario, con su extensión."""
    formato = _formato(request)
    capas = registro.todas(request.user)
    extensiones = consultas.extensiones(capas)
    documento = {
        "links": _enlaces_propios(request, "colecciones"),
        "collections": [_coleccion(request, capa, extensiones[capa.nombre]) for capa in capas],
    }
    return _responder(request, formato, documento, "colecciones.html")


@require_safe
@acceso_a_capas
def coleccion(request, coleccion):
    """Devuelve la descripción de una colección."""
    formato = _formato(request)
    capa = registro.obtener(coleccion, request.user)
    documento = _coleccion(request, capa, consultas.extensiones([capa])[capa.nombre])
    return _responder(request, formato, documento, "coleccion.html", capa=capa)


def _legibles(capa, features: list[dict]) -> list[list]:
    """Devuelve, por elemento, sus atributos como los lee una persona, en el orden de la capa (HTML)."""
    valores = consultas.valores_legibles(capa.fuente, [f["id"] for f in features])
    vacio = (None,) * len(capa.fuente.atributos)
    return [list(valores.get(f["id"], vacio)) for f in features]


def _titulo(atributo) -> str:
    """Devuelve el encabezado de un atributo en HTML: su título con mayúscula inicial («Código BIP»)."""
    titulo = atributo.titulo or atributo.nombre
    return titulo[:1].upper() + titulo[1:]


def _entero(request, nombre: str, por_defecto: int, minimo: int) -> int:
    """Devuelve el parámetro entero ``nombre`` (≥ ``minimo``) o su valor por defecto."""
    texto = request.GET.get(nombre)
    if texto is None:
        return por_defecto
    try:
        valor = int(texto)
    except ValueError:
        raise consultas.ParametroInvalido(f"{nombre} debe ser un entero: «{texto}».")
    if not minimo <= valor <= CLAVE_MAXIMA:
        raise consultas.ParametroInvalido(f"{nombre} debe estar entre {minimo} y {CLAVE_MAXIMA}.")
    return valor


@require_safe
@acceso_a_capas
def elementos(request, coleccion):
    """Devuelve una página de elementos (bbox, limit, offset) con enlaces next y prev."""
    formato = _formato(request, PARAMETROS_ELEMENTOS)
    capa = registro.obtener(coleccion, request.user)
    # Un limit mayor que el máximo no es error (OGC API): se sirve el máximo.
    limite = min(_entero(request, "limit", LIMITE_POR_DEFECTO, 1), LIMITE_MAXIMO)
    desplazamiento = _entero(request, "offset", 0, 0)
    if request.GET.get("bbox-crs", CRS84) != CRS84:
        raise consultas.ParametroInvalido(f"bbox-crs no admitido: solo {CRS84}.")
    bbox = consultas.leer_bbox(request.GET.get("bbox"))
    donde, parametros = consultas.filtro_bbox(capa.fuente, bbox, exacto=True)
    total, devueltos, lista = consultas.pagina(
        capa.fuente, donde=donde, parametros=parametros, limite=limite, desplazamiento=desplazamiento
    )

    def pagina_en(offset, f="json"):
        """Devuelve la URL de la página que empieza en ``offset`` con los mismos filtros."""
        return _url(
            request, "elementos", capa.nombre, f=f, limit=limite, offset=offset, bbox=request.GET.get("bbox")
        )

    enlaces = [
        _enlace(pagina_en(desplazamiento), "self", GEOJSON, "Esta página"),
        _enlace(pagina_en(desplazamiento, "html"), "alternate", HTML, "Esta página en HTML"),
        _enlace(_url(request, "coleccion", capa.nombre), "collection", JSON, capa.titulo),
    ]
    vecinas = []
    if desplazamiento > 0:
        vecinas.append(("prev", "Página anterior", max(desplazamiento - limite, 0)))
    if desplazamiento + devueltos < total:
        vecinas.append(("next", "Página siguiente", desplazamiento + limite))
    enlaces += [_enlace(pagina_en(offset), rel, GEOJSON, titulo) for rel, titulo, offset in vecinas]
    envoltura = {
        "type": "FeatureCollection",
        "numberMatched": total,
        "numberReturned": devueltos,
        "timeStamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": enlaces,
    }
    if formato == "html":
        features = json.loads(lista)
        filas = list(zip((f["id"] for f in features), _legibles(capa, features), strict=True))
        navegacion = [(titulo, pagina_en(offset, "html")) for _rel, titulo, offset in vecinas]
        return _responder(
            request,
            formato,
            envoltura,
            "elementos.html",
            capa=capa,
            encabezados=[_titulo(a) for a in capa.fuente.atributos],
            filas=filas,
            navegacion=navegacion,
        )
    cuerpo = json.dumps(envoltura, ensure_ascii=False)[:-1] + ',"features":' + lista + "}"
    return HttpResponse(cuerpo, content_type=GEOJSON)


@require_safe
@acceso_a_capas
def elemento(request, coleccion, identificador):
    """Devuelve un elemento por su identificador (la clave primaria)."""
    formato = _formato(request)
    capa = registro.obtener(coleccion, request.user)
    texto = None
    if identificador.isascii() and identificador.isdigit() and int(identificador) <= CLAVE_MAXIMA:
        texto = consultas.elemento(capa.fuente, int(identificador))
    if texto is None:
        return respuesta_error(404, "NoEncontrado", f"La colección no tiene el elemento «{identificador}».")
    enlaces = [
        *_enlaces_propios(request, "elemento", capa.nombre, identificador, tipo=GEOJSON),
        _enlace(_url(request, "coleccion", capa.nombre), "collection", JSON, capa.titulo),
    ]
    if formato == "html":
        feature = json.loads(texto)
        filas = [
            (_titulo(a), valor)
            for a, valor in zip(capa.fuente.atributos, _legibles(capa, [feature])[0], strict=True)
        ]
        documento = {**feature, "links": enlaces}
        return _responder(request, formato, documento, "elemento.html", capa=capa, filas=filas)
    cuerpo = texto[:-1] + ',"links":' + json.dumps(enlaces, ensure_ascii=False) + "}"
    return HttpResponse(cuerpo, content_type=GEOJSON)
