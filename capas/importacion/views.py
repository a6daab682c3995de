"""Vista de carga de capas: valida el formulario, guarda la subida en la carpeta del trabajo y lo encola."""

import logging
from pathlib import Path

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from capas.importacion.forms import FormularioImportacion
from capas.importacion.trabajo import TIPO
from capas.trabajos.respuestas import ir_al_trabajo
from capas.trabajos.services import trabajo_crear

PLANTILLA = "capas/importar.html"
MENSAJE_SIN_DISCO = (
    "El servidor no pudo guardar el archivo para importarlo (disco lleno o sin permisos). No se importó "
    "nada; intente más tarde o avise al administrador."
)
logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
@permission_required("capas.add_capareferencia", raise_exception=True)
def importar(request):
    """Muestra el formulario; al enviarlo encola la importación y lleva (303) a la página del trabajo."""
    formulario = FormularioImportacion(request.POST or None, request.FILES or None)
    if request.method == "GET" or not formulario.is_valid():
        return render(
            request, PLANTILLA, {"formulario": formulario}, status=200 if request.method == "GET" else 400
        )
    datos = formulario.cleaned_data
    subida = datos["archivo"]
    parametros = {
        "nombre": datos["nombre"],
        "titulo": datos["titulo"],
        "categoria": datos["categoria"],
        "srid": datos["srid"],
        "capa": datos["capa"],
        "reparar": datos["reparar"],
        "confirmar_fuera": datos["confirmar_fuera"],
        "publica": datos["publica"],
        "descripcion": datos["descripcion"],
        "archivo_origen": Path(subida.name).name,
        "es_raster": formulario.es_raster,
    }

    def guardar_subida(carpeta: Path) -> dict:
        # El nombre lo pone el sistema: del usuario solo se usa la extensión (ya validada).
        ruta = carpeta / f"subida{Path(subida.name).suffix.lower()}"
        with ruta.open("xb") as destino:
            for trozo in subida.chunks():
                destino.write(trozo)
        return {"ruta": str(ruta)}

    try:
        trabajo = trabajo_crear(
            tipo=TIPO.nombre,
            parametros=parametros,
            usuario=request.user,
            preparar=guardar_subida,
            encolar=True,
        )
    except OSError as error:
        # Disco lleno o carpeta de trabajos sin permisos: es del servidor, no del archivo del usuario.
        logger.error("No se pudo guardar la subida para importarla: %s", error)
        contexto = {"formulario": formulario, "error_servidor": MENSAJE_SIN_DISCO}
        respuesta = render(request, PLANTILLA, contexto, status=503)
        respuesta["Retry-After"] = "60"
        return respuesta
    return ir_al_trabajo(trabajo)
