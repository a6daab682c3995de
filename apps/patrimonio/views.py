"""Páginas de lectura del patrimonio: listas, exportación y fichas de inmuebles, activos y concesiones."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.nucleo.fichas import contexto_ficha, datos_legibles, enlace_informe, enlace_visor
from apps.nucleo.formatos import superficie
from apps.nucleo.listas import vistas
from apps.nucleo.minimapa import minimapa
from apps.patrimonio import choices
from apps.patrimonio.models import Activo
from apps.patrimonio.tablas import (
    INSIGNIAS,
    TABLA_ACTIVOS,
    TABLA_CONCESIONES,
    TABLA_INMUEBLES,
    concesiones,
    inmuebles,
)

CAPAS = ["inmuebles", "activos", "concesiones"]

inmuebles_lista, inmuebles_exportar = vistas(TABLA_INMUEBLES)
activos_lista, activos_exportar = vistas(TABLA_ACTIVOS)
concesiones_lista, concesiones_exportar = vistas(TABLA_CONCESIONES)


def _con_situacion(lista_concesiones) -> list[dict]:
    """Devuelve las concesiones con su situación legible, su insignia y su ficha."""
    return [
        {
            "obj": c,
            "situacion": choices.Situacion(c.situacion_calculada).label,
            "insignia": INSIGNIAS.get(c.situacion_calculada, ""),
            "url": reverse("patrimonio:concesion_ficha", args=[c.pk]),
        }
        for c in lista_concesiones
    ]


def _elemento(obj, geom, ficha: str, principal: bool = False) -> dict:
    """Devuelve un elemento del mini-mapa."""
    return {"geom": geom, "titulo": str(obj), "url": reverse(ficha, args=[obj.pk]), "principal": principal}


@require_GET
def inmueble_ficha(request, pk):
    """Muestra un inmueble con sus activos y concesiones, en su mapa, y su historial."""
    inmueble = get_object_or_404(inmuebles(), pk=pk)
    contexto = contexto_ficha(
        request,
        inmueble,
        lista="patrimonio:inmuebles_lista",
        titulo_lista="Bienes inmuebles",
        editar="patrimonio:inmueble_editar",
        eliminar="patrimonio:inmueble_eliminar",
    )
    lista_activos = list(inmueble.activos.order_by("nombre"))
    lista_concesiones = list(concesiones().filter(activo__inmueble=inmueble).order_by("-fecha_inicio"))
    elementos = [_elemento(inmueble, inmueble.geom, "patrimonio:inmueble_ficha", principal=True)]
    elementos += [_elemento(a, a.ubicacion, "patrimonio:activo_ficha") for a in lista_activos if a.ubicacion]
    elementos += [_elemento(c, c.geom, "patrimonio:concesion_ficha") for c in lista_concesiones if c.geom]
    datos = datos_legibles(
        inmueble, ["direccion", "destino", "tenencia", "estado_saneamiento", "superficie_m2", "conservador"]
    )
    datos.insert(0, {"etiqueta": "Rol SII", "valor": inmueble.rol_sii})
    datos.append({"etiqueta": "Inscripción", "valor": inmueble.inscripcion_cbr or "—"})
    datos.append({"etiqueta": "Superficie medida (PostGIS)", "valor": superficie(inmueble.area_m2)})
    contexto.update(
        {
            "datos": datos,
            "activos": lista_activos,
            "concesiones": _con_situacion(lista_concesiones),
            "mapa": minimapa(request.user, elementos=elementos),
            "url_visor": enlace_visor(CAPAS, ("inmuebles", inmueble.pk), inmueble.geom),
            "url_informe": enlace_informe(request.user, "inmueble", inmueble, inmueble.geom),
        }
    )
    return render(request, "patrimonio/inmueble_ficha.html", contexto)


@require_GET
def activo_ficha(request, pk):
    """Muestra un activo con su inmueble y sus concesiones."""
    activo = get_object_or_404(Activo.objects.select_related("inmueble"), pk=pk)
    contexto = contexto_ficha(
        request,
        activo,
        lista="patrimonio:activos_lista",
        titulo_lista="Activos",
        editar="patrimonio:activo_editar",
        eliminar="patrimonio:activo_eliminar",
    )
    lista_concesiones = list(concesiones().filter(activo=activo).order_by("-fecha_inicio"))
    elementos = [_elemento(activo.inmueble, activo.inmueble.geom, "patrimonio:inmueble_ficha")]
    if activo.ubicacion:
        elementos.append(_elemento(activo, activo.ubicacion, "patrimonio:activo_ficha", principal=True))
    elementos += [_elemento(c, c.geom, "patrimonio:concesion_ficha") for c in lista_concesiones if c.geom]
    contexto.update(
        {
            "datos": datos_legibles(activo, ["tipo", "descripcion"]),
            "concesiones": _con_situacion(lista_concesiones),
            "mapa": minimapa(request.user, elementos=elementos),
            "url_visor": enlace_visor(
                CAPAS, ("activos", activo.pk), activo.ubicacion or activo.inmueble.geom
            ),
        }
    )
    return render(request, "patrimonio/activo_ficha.html", contexto)


@require_GET
def concesion_ficha(request, pk):
    """Muestra una concesión con su activo, su titular y su situación (alerta si vence o venció)."""
    concesion = get_object_or_404(concesiones(), pk=pk)
    contexto = contexto_ficha(
        request,
        concesion,
        lista="patrimonio:concesiones_lista",
        titulo_lista="Concesiones",
        editar="patrimonio:concesion_editar",
        eliminar="patrimonio:concesion_eliminar",
    )
    activo = concesion.activo
    elementos = [_elemento(activo.inmueble, activo.inmueble.geom, "patrimonio:inmueble_ficha")]
    if activo.ubicacion:
        elementos.append(_elemento(activo, activo.ubicacion, "patrimonio:activo_ficha"))
    if concesion.geom:
        elementos.append(_elemento(concesion, concesion.geom, "patrimonio:concesion_ficha", principal=True))
    contexto.update(
        {
            "datos": datos_legibles(
                concesion,
                ["tipo", "titular_nombre", "titular_rut", "fecha_inicio", "fecha_termino", "canon_clp"]
                + ["periodicidad", "garantia", "estado"],
            ),
            "situacion": _con_situacion([concesion])[0],
            "mapa": minimapa(request.user, elementos=elementos),
            "url_visor": enlace_visor(
                CAPAS,
                ("concesiones", concesion.pk) if concesion.geom else None,
                concesion.geom or activo.inmueble.geom,
            ),
        }
    )
    return render(request, "patrimonio/concesion_ficha.html", contexto)
