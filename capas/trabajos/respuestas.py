"""Lo que la web responde por un trabajo: ir a su página (303) y entregar los archivos que deja.

Los archivos (PDF, PNG…) de un trabajo terminado se entregan solo a su dueño o a un administrador;
a cualquier otro, 404, como si no existiera.
"""

from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from capas.trabajos.models import EstadoTrabajo, Trabajo


def ir_al_trabajo(trabajo):
    """Devuelve la redirección 303 (See Other) a la página del trabajo, tras encolarlo por POST."""
    respuesta = redirect("capas:trabajos:detalle", pk=trabajo.pk)
    respuesta.status_code = 303
    return respuesta


def vista_de_descarga(
    *,
    tipo: str,
    archivos: dict[str, tuple[str, str]],
    carpeta_de: Callable[[int], Path],
    nombre_por_omision: str,
):
    """Devuelve la vista ``(request, pk, formato)`` que entrega los archivos de los trabajos de ``tipo``.

    ``archivos`` es {formato: (nombre en la carpeta, tipo MIME)} y ``carpeta_de(pk)`` la carpeta del
    trabajo; el archivo se descarga con el título del trabajo (o ``nombre_por_omision``) como nombre.
    """

    @require_GET
    @never_cache
    @login_required
    def descargar(request, pk: int, formato: str) -> FileResponse:
        if formato not in archivos:
            raise Http404
        trabajo = get_object_or_404(Trabajo, pk=pk, tipo=tipo, estado=EstadoTrabajo.TERMINADO)
        if trabajo.usuario_id != request.user.pk and not request.user.is_superuser:
            raise Http404
        nombre, mime = archivos[formato]
        ruta = carpeta_de(trabajo.pk) / nombre
        if not ruta.is_file():
            raise Http404
        descarga = f"{slugify(trabajo.parametros.get('titulo', '')) or nombre_por_omision}.{formato}"
        return FileResponse(ruta.open("rb"), content_type=mime, filename=descarga)

    return descargar
