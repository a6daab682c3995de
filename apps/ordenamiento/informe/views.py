"""Páginas del informe de superposición: el análisis de un polígono, el de una propuesta y su PDF.

Las vistas validan, llaman a ``informe_superposicion`` y presentan; el PDF es un trabajo acotado
(``apps.ordenamiento.informe.trabajo``) que se encola y se descarga solo por su dueño.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.gis.geos import Point
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.comunas.selectors import comuna_configurada
from apps.nucleo.edicion import leer_centro, vecinos
from apps.nucleo.formatos import fecha_hora
from apps.nucleo.minimapa import minimapa
from apps.nucleo.permisos import exigir
from apps.ordenamiento.informe import origenes, presentacion
from apps.ordenamiento.informe import trabajo as informe_trabajo
from apps.ordenamiento.informe.forms import FormularioAnalisis
from apps.ordenamiento.models import EtapaPropuesta, PropuestaUsoSuelo
from apps.ordenamiento.superposicion import informe_superposicion
from capas.trabajos.respuestas import ir_al_trabajo, vista_de_descarga

PLANTILLA = "ordenamiento/analisis.html"
TITULO = "Informe de superposición"


def _mapa_dibujo(request, formulario, comuna, geom) -> dict:
    """Devuelve lo que lee static/js/dibujo.js (como los formularios de edición) para el análisis."""
    from django.contrib.gis.gdal import SpatialReference

    centro = leer_centro(request)
    cerca = geom.point_on_surface if geom is not None else None
    if cerca is None and centro:
        cerca = Point(centro["lon"], centro["lat"], srid=4326)
    return {
        "proj4": SpatialReference(comuna.srid_metrico).proj4.strip() if comuna else None,
        "campo": formulario["geometria"].auto_id,
        "herramientas": list(formulario.herramientas),
        "multi": True,
        # Se ajusta a las propuestas vecinas: un análisis suele partir de una de ellas.
        "vecinos": vecinos(PropuestaUsoSuelo, "geom", cerca=cerca),
        "referencias": [],
        "nombre_referencias": "",
        "centro": centro,
        "lugar_error": formulario.lugar_error,
        "error": bool(formulario.errors.get("geometria")) if formulario.is_bound else False,
    }


def _contexto_informe(request, geom, informe: dict, *, titulo: str, desde: str = "") -> dict:
    """Devuelve lo que muestra el informe: mapa con el polígono y sus capas, tablas y veredicto."""
    capas = presentacion.capas_del_informe(informe)
    elementos = [{"geom": geom, "titulo": "Polígono analizado", "principal": True}]
    return {
        "informe": informe,
        "tablas": presentacion.filas(informe),
        "mapa_informe": minimapa(request.user, elementos=elementos, capas=tuple(capas)),
        "geojson": geom.geojson if geom.srid in (None, 4326) else geom.transform(4326, clone=True).geojson,
        "titulo_informe": titulo,
        "desde": desde,
    }


@require_http_methods(["GET", "POST"])
@login_required
def analisis(request):
    """GET: formulario (o el informe de ``?desde=tipo:pk``). POST: valida el polígono y muestra su informe."""
    exigir(request.user, PropuestaUsoSuelo, "view")
    comuna = comuna_configurada(con_geometrias=True)
    contexto = {"titulo": "Analizar un polígono", "aviso": None}
    geom, informe_ctx = None, {}
    if request.method == "POST":
        formulario = FormularioAnalisis(request.POST, comuna=comuna)
        if formulario.is_valid():
            geom = formulario.cleaned_data["geometria"]
            uso = formulario.cleaned_data["uso"] or None
            informe = informe_superposicion(geom, comuna=comuna, uso=uso, radio_m=formulario.radio)
            informe_ctx = _contexto_informe(request, geom, informe, titulo=f"{TITULO} del polígono dibujado")
    elif request.GET.get("desde"):
        try:
            origen, registro = origenes.desde(request.GET["desde"], request.user)
        except origenes.OrigenInvalido as error:
            formulario = FormularioAnalisis(comuna=comuna)
            contexto["aviso"] = str(error)
        else:
            geom = getattr(registro, origen.campo)
            uso = getattr(registro, origen.uso) if origen.uso else None
            formulario = FormularioAnalisis(initial={"geometria": geom, "uso": uso or ""}, comuna=comuna)
            informe = informe_superposicion(geom, comuna=comuna, uso=uso)
            informe_ctx = _contexto_informe(
                request,
                geom,
                informe,
                titulo=f"{TITULO}: {origen.nombre.lower()} «{registro}»",
                desde=request.GET["desde"],
            )
            contexto["registro"] = {
                "nombre": str(registro),
                "tipo": origen.nombre,
                "url": reverse(origen.ficha, args=[registro.pk]),
            }
    else:
        formulario = FormularioAnalisis(comuna=comuna)
    contexto.update(
        {
            "formulario": formulario,
            "campo_geo": formulario["geometria"],
            "mapa": _mapa_dibujo(request, formulario, comuna, geom),
            **informe_ctx,
        }
    )
    return render(request, PLANTILLA, contexto)


@require_GET
@login_required
def propuesta_informe(request, pk: int):
    """Muestra el informe vigente de una propuesta con su uso propuesto (capas de hoy)."""
    exigir(request.user, PropuestaUsoSuelo, "view")
    propuesta = get_object_or_404(PropuestaUsoSuelo.objects.select_related("comuna"), pk=pk)
    informe = informe_superposicion(propuesta.geom, comuna=propuesta.comuna, uso=propuesta.uso_propuesto)
    contexto = _contexto_informe(
        request,
        propuesta.geom,
        informe,
        titulo=f"{TITULO}: propuesta «{propuesta}»",
        desde=origenes.clave("propuesta", propuesta),
    )
    contexto.update({"propuesta": propuesta, "titulo": f"{TITULO} de «{propuesta}»"})
    return render(request, "ordenamiento/propuesta_informe.html", contexto)


@require_POST
@login_required
def imprimir(request):
    """Encola el PDF del informe del polígono enviado y lleva (303) a la página del trabajo."""
    exigir(request.user, PropuestaUsoSuelo, "view")
    comuna = comuna_configurada(con_geometrias=True)
    formulario = FormularioAnalisis(request.POST, comuna=comuna)
    if not formulario.is_valid():
        contexto = {
            "titulo": "Analizar un polígono",
            "formulario": formulario,
            "campo_geo": formulario["geometria"],
            "mapa": _mapa_dibujo(request, formulario, comuna, None),
            "aviso": "No se pudo imprimir: revise el polígono.",
        }
        return render(request, PLANTILLA, contexto, status=400)
    titulo = (request.POST.get("titulo") or TITULO).strip()[:160]
    trabajo = informe_trabajo.impresion_encolar(
        geom=formulario.cleaned_data["geometria"],
        comuna=comuna,
        uso=formulario.cleaned_data["uso"] or None,
        radio_m=formulario.radio,
        titulo=titulo,
        usuario=request.user,
    )
    return ir_al_trabajo(trabajo)


@require_POST
@login_required
def etapa_imprimir(request, pk: int, etapa: int):
    """Encola el PDF del informe congelado en una etapa del flujo (tal cual) y lleva (303) al trabajo."""
    exigir(request.user, PropuestaUsoSuelo, "view")
    etapa = get_object_or_404(EtapaPropuesta.objects.select_related("propuesta"), pk=etapa, propuesta_id=pk)
    trabajo = informe_trabajo.impresion_encolar(
        geom=etapa.geom,
        comuna=etapa.propuesta.comuna,
        uso=etapa.uso_propuesto,
        titulo=(
            f"{TITULO}: propuesta «{etapa.nombre}», versión {etapa.version}, "
            f"al pasar a «{etapa.get_hacia_display().lower()}» ({fecha_hora(etapa.fecha)})"
        ),
        usuario=request.user,
        informe=etapa.informe,
    )
    return ir_al_trabajo(trabajo)


# El PDF (o la vista previa PNG) de un informe impreso, solo a su dueño o a un administrador.
descargar = vista_de_descarga(
    tipo=informe_trabajo.TIPO.nombre,
    archivos=informe_trabajo.ARCHIVOS,
    carpeta_de=informe_trabajo.carpeta_de,
    nombre_por_omision="informe-superposicion",
)
