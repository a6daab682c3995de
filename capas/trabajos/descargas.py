"""Entrega de los archivos que deja un trabajo terminado (PDF, PNG…), solo a su dueño o a un administrador."""

from collections.abc import Callable
from pathlib import Path

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from capas.trabajos.models import EstadoTrabajo, Trabajo


def archivo_de_trabajo(
    request,
    *,
    pk: int,
    formato: str,
    tipo: str,
    archivos: dict[str, tuple[str, str]],
    carpeta_de: Callable[[int], Path],
    nombre_por_omision: str,
) -> FileResponse:
    """Devuelve el archivo ``formato`` del trabajo ``pk`` de ``tipo``, o 404 si es ajeno o no está.

    ``archivos`` es {formato: (nombre en la carpeta, tipo MIME)}; el archivo se descarga con el título
    del trabajo (o ``nombre_por_omision``) como nombre.
    """
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
