"""Página de un trabajo (avance y resultado) y su estado en JSON; solo para su dueño o un administrador."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from capas.trabajos.models import EstadoTrabajo, Trabajo
from capas.trabajos.tipos import tipo_para_mostrar


def _trabajo_visible(request, pk: int) -> Trabajo:
    """Devuelve el trabajo si el usuario es su dueño o administrador; si no, 404 (no revela que existe)."""
    trabajo = get_object_or_404(Trabajo, pk=pk)
    if trabajo.usuario_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return trabajo


@require_GET
@never_cache
def trabajo_detalle(request, pk: int):
    """Muestra el avance del trabajo y, al terminar, su resultado o el motivo del rechazo."""
    trabajo = _trabajo_visible(request, pk)
    tipo = tipo_para_mostrar(trabajo.tipo)
    contexto = {"trabajo": trabajo, "tipo": tipo}
    if trabajo.estado == EstadoTrabajo.TERMINADO:
        contexto.update(tipo.llamar("contexto", trabajo) or {})
    return render(request, "capas/trabajo.html", contexto)


@require_GET
@never_cache
def trabajo_estado(request, pk: int):
    """Devuelve en JSON el estado, el avance y, si falló, el error del trabajo."""
    trabajo = _trabajo_visible(request, pk)
    return JsonResponse(
        {
            "id": trabajo.pk,
            "estado": trabajo.estado,
            "estado_texto": trabajo.get_estado_display(),
            "terminal": trabajo.terminal,
            "avance": trabajo.avance,
            "total": trabajo.total,
            "porcentaje": trabajo.porcentaje,
            "mensaje": trabajo.mensaje,
            "error": trabajo.error,
        }
    )
