"""«Imprimir» la vista del visor: valida, encola la impresión (303 a su trabajo) y entrega PDF y PNG."""

import logging

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from capas.mapas import trabajo as impresion_trabajo
from capas.mapas.forms import FormularioImpresion
from capas.registro import CapaNoEncontrada, registro
from capas.servicio.consultas import ParametroInvalido
from capas.trabajos.respuestas import ir_al_trabajo, vista_de_descarga
from capas.trabajos.services import trabajo_crear

PLANTILLA = "capas/imprimir.html"
PREFIJO_FILTRO = "f_"
logger = logging.getLogger(__name__)


class SolicitudInvalida(Exception):
    """La impresión no se puede pedir así (400, mensaje en español)."""


def _filtros(request, capas) -> dict[str, list[str]]:
    """Devuelve los ``f_*`` de la petición, validados contra cada capa con ``capas.filtros.condicion``."""
    filtros = {k: request.POST.getlist(k) for k in request.POST if k.startswith(PREFIJO_FILTRO)}
    if not filtros:
        return {}
    try:
        condiciones = impresion_trabajo.condiciones_de_filtros(filtros)
    except ImportError:
        raise SolicitudInvalida(
            "Esta instalación aún no aplica filtros al imprimir; quítelos y vuelva a imprimir."
        )
    for capa in capas:
        try:
            condiciones(capa)
        except (ParametroInvalido, ValueError) as error:
            raise SolicitudInvalida(str(error))
    return filtros


def _autor(usuario) -> str:
    """Devuelve el nombre con que firma la hoja (nombre completo o, sin él, el usuario)."""
    return usuario.get_full_name().strip() or usuario.get_username()


@require_http_methods(["GET", "POST"])
@login_required
def imprimir(request):
    """GET: formulario (prellenado con los parámetros del visor). POST: encola y lleva (303) al trabajo."""
    if request.method == "GET":
        formulario = FormularioImpresion(initial=request.GET.dict())
        # Los filtros del visor viajan ocultos: el papel debe mostrar lo mismo que la pantalla.
        filtros = [
            (k, v) for k, valores in request.GET.lists() if k.startswith(PREFIJO_FILTRO) for v in valores
        ]
        return render(request, PLANTILLA, {"formulario": formulario, "filtros": filtros})
    formulario = FormularioImpresion(request.POST)
    if not formulario.is_valid():
        return render(request, PLANTILLA, {"formulario": formulario}, status=400)
    datos = formulario.cleaned_data
    try:
        # Una capa que no existe o que el usuario no puede ver: 404, igual que su GeoJSON.
        capas = [registro.obtener(nombre, request.user) for nombre in datos["capas"]]
    except CapaNoEncontrada as error:
        return render(request, PLANTILLA, {"formulario": formulario, "error": str(error)}, status=404)
    try:
        filtros = _filtros(request, capas)
    except SolicitudInvalida as error:
        return render(request, PLANTILLA, {"formulario": formulario, "error": str(error)}, status=400)
    trabajo = trabajo_crear(
        tipo=impresion_trabajo.TIPO.nombre,
        parametros={
            "titulo": datos["titulo"],
            "bbox": list(datos["bbox"]),
            "capas": [c.nombre for c in capas],
            "permalink": datos["permalink"],
            "formato": datos["formato"],
            "filtros": filtros,
            "autor": _autor(request.user),
        },
        usuario=request.user,
        encolar=True,
    )
    return ir_al_trabajo(trabajo)


# El PDF o el PNG de una impresión terminada, solo a su dueño o a un administrador.
descargar = vista_de_descarga(
    tipo=impresion_trabajo.TIPO.nombre,
    archivos=impresion_trabajo.ARCHIVOS,
    carpeta_de=impresion_trabajo.carpeta_de,
    nombre_por_omision="mapa",
)
