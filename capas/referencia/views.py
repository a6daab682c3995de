"""Vistas de /capas/referencia/: la página del estilo de una capa importada y el mapa chico (JSON)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from capas import categorias
from capas.importadas import simbolo_de
from capas.mapas.base import mapa_chico as _mapa_chico
from capas.models import CapaReferencia
from capas.referencia.forms import EstiloForm
from capas.referencia.services import capa_referencia_estilo_cambiar, capa_referencia_estilo_restaurar
from capas.servicio.autenticacion import acceso_a_capas


@require_safe
@acceso_a_capas
def mapa_chico(request):
    """Devuelve los mapas base y las capas de contexto que dibuja todo mapa chico del usuario."""
    return JsonResponse(_mapa_chico(request.user), json_dumps_params={"ensure_ascii": False})


@require_http_methods(["GET", "POST"])
@permission_required("capas.change_capareferencia", raise_exception=True)
def estilo(request, nombre):
    """Muestra y guarda el estilo propio de una capa importada (o lo devuelve al de su categoría)."""
    capa = get_object_or_404(CapaReferencia, nombre=nombre)
    if request.method == "POST" and "restaurar" in request.POST:
        capa_referencia_estilo_restaurar(capa=capa, actor=request.user)
        messages.success(request, f"«{capa.titulo}» vuelve al estilo de su categoría.")
        return redirect("capas:referencia:estilo", nombre=capa.nombre)
    if request.method == "POST":
        formulario = EstiloForm(request.POST)
        if formulario.is_valid():
            capa_referencia_estilo_cambiar(capa=capa, actor=request.user, **formulario.cleaned_data)
            messages.success(request, f"Estilo de «{capa.titulo}» guardado.")
            return redirect("capas:referencia:estilo", nombre=capa.nombre)
    else:
        actual = simbolo_de(capa)
        formulario = EstiloForm(
            initial={
                "relleno": actual.relleno,
                "borde": actual.borde,
                "ancho": actual.ancho,
                "opacidad": actual.opacidad,
            }
        )
    contexto = {
        "capa": capa,
        "formulario": formulario,
        "simbolo": simbolo_de(capa),
        "propio": bool(capa.relleno or capa.borde or capa.ancho is not None or capa.opacidad is not None),
        "de_categoria": getattr(categorias.categoria_de(capa.categoria), "simbolo", None),
    }
    return render(request, "capas/referencia/estilo.html", contexto)
