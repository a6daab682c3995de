"""GeoJSON de cada capa y la lista de capas del visor: el cuerpo viene tal cual de PostGIS."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from capas.filtros import condicion
from capas.registro import registro
from capas.servicio import consultas
from capas.servicio.autenticacion import acceso_a_capas
from capas.servicio.teselas import ruta_teselas

TIPO_GEOJSON = "application/geo+json"


def umbral_transmision() -> int:
    """Devuelve sobre cuántos elementos la capa se transmite por lotes en vez de armarse entera.

    Armarla en una sentencia es lo más rápido; 10.000 elementos de un catastro ocupan unos 2-4 MB.
    """
    return getattr(settings, "CAPAS_GEOJSON_UMBRAL_TRANSMISION", 10_000)


def describir(capa) -> dict:
    """Devuelve lo que un cliente necesita de una capa: identidad, estilo Leaflet, leyenda, filtros
    declarados y direcciones (la lista ``/capas/`` y la configuración del visor)."""
    return {
        "nombre": capa.nombre,
        "titulo": capa.titulo,
        "grupo": capa.grupo,
        "tipo_geometria": capa.tipo_geometria,
        "descripcion": capa.descripcion,
        "publica": capa.publica,
        "origen": capa.origen,
        "estilo": capa.estilo.leaflet(),
        "leyenda": capa.estilo.leyenda(),
        "geojson": reverse("capas:geojson", args=[capa.nombre]),
        "teselas": reverse("teselas:tilejson", args=[capa.nombre]),
        "mvt": ruta_teselas(capa.nombre) + "{z}/{x}/{y}.pbf",
        "ogcapi": reverse("ogcapi:coleccion", args=[capa.nombre]),
        "filtros": [filtro.descripcion() for filtro in capa.filtros],
    }


@require_safe
@acceso_a_capas
def lista(request):
    """Devuelve las capas visibles para el usuario con su estilo Leaflet, leyenda y direcciones."""
    capas = [describir(capa) for capa in registro.todas(request.user)]
    return JsonResponse({"capas": capas}, json_dumps_params={"ensure_ascii": False})


@require_safe
@acceso_a_capas
def capa_geojson(request, nombre):
    """Devuelve la capa como FeatureCollection (``?bbox=oeste,sur,este,norte`` y los ``f_*`` de sus
    filtros la acotan; ``?simplificar=`` (grados) la simplifica para dibujarla a un zoom)."""
    capa = registro.obtener(nombre, request.user)
    bbox = consultas.leer_bbox(request.GET.get("bbox"))
    simplificar = consultas.leer_simplificar(request.GET.get("simplificar"))
    donde_bbox, parametros_bbox = consultas.filtro_bbox(capa.fuente, bbox)
    donde_filtros, parametros_filtros = condicion(capa, request.GET)
    donde = f"({donde_bbox}) AND ({donde_filtros})"
    parametros = (*parametros_bbox, *parametros_filtros)
    cuerpo = consultas.coleccion(
        capa.fuente, donde=donde, parametros=parametros, tope=umbral_transmision(), simplificar=simplificar
    )
    if cuerpo is not None:
        return HttpResponse(cuerpo, content_type=TIPO_GEOJSON)
    lotes = consultas.elementos_por_lotes(
        capa.fuente, donde=donde, parametros=parametros, simplificar=simplificar
    )
    return StreamingHttpResponse(_transmitir(lotes), content_type=TIPO_GEOJSON)


def _transmitir(lotes):
    """Genera el FeatureCollection por partes a partir de los lotes de elementos."""
    yield '{"type":"FeatureCollection","features":['
    separador = ""
    for lote in lotes:
        yield separador + ",".join(lote)
        separador = ","
    yield "]}"
