"""Vista de carga de capas: formulario con progreso, informe por elemento y errores en español."""

import functools
from pathlib import Path

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from capas.importacion.forms import FormularioImportacion
from capas.importacion.informe import ImportacionRechazada
from capas.importacion.raster import raster_importar
from capas.importacion.seguridad import directorio_temporal
from capas.importacion.vectorial import capa_importar

PLANTILLA = "capas/importar.html"


@require_http_methods(["GET", "POST"])
@permission_required("capas.add_capareferencia", raise_exception=True)
def importar(request):
    """Muestra el formulario; al enviarlo importa la capa y muestra su informe o el rechazo."""
    formulario = FormularioImportacion(request.POST or None, request.FILES or None)
    if request.method == "GET" or not formulario.is_valid():
        return render(
            request, PLANTILLA, {"formulario": formulario}, status=200 if request.method == "GET" else 400
        )
    try:
        capa = _importar(formulario, actor=request.user)
    except ImportacionRechazada as rechazo:
        return render(request, PLANTILLA, {"formulario": formulario, "rechazo": rechazo}, status=400)
    contexto = {"formulario": FormularioImportacion(), "capa": capa, "es_raster": formulario.es_raster}
    return render(request, PLANTILLA, contexto)


def _importar(formulario: FormularioImportacion, *, actor):
    """Guarda la subida en un directorio temporal propio y llama al servicio que corresponde."""
    datos = formulario.cleaned_data
    subida = datos["archivo"]
    comunes = {
        "nombre": datos["nombre"],
        "titulo": datos["titulo"],
        "categoria": datos["categoria"],
        "srid": datos["srid"],
        "confirmar_fuera": datos["confirmar_fuera"],
        "descripcion": datos["descripcion"],
        "publica": datos["publica"],
        "archivo_origen": Path(subida.name).name,
        "actor": actor,
    }
    if formulario.es_raster:
        importar_ruta = functools.partial(raster_importar, **comunes)
    else:
        importar_ruta = functools.partial(
            capa_importar, reparar=datos["reparar"], capa_gpkg=datos["capa"] or None, **comunes
        )
    if hasattr(subida, "temporary_file_path"):
        # Una subida grande ya está en disco (nombre del sistema, extensión ya validada): se importa
        # desde ahí, y el importador hace su propia copia de trabajo.
        return importar_ruta(ruta=Path(subida.temporary_file_path()))
    with directorio_temporal() as temporal:
        # El nombre lo pone el sistema: del usuario solo se usa la extensión (ya validada).
        ruta = temporal / f"subida{Path(subida.name).suffix.lower()}"
        with ruta.open("wb") as destino:
            for trozo in subida.chunks():
                destino.write(trozo)
        return importar_ruta(ruta=ruta)
