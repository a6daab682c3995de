"""Página de la franja de protección de cauces: valida el formulario y encola el trabajo acotado."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from apps.ordenamiento.cauces.forms import FormularioFranjaCauces
from apps.ordenamiento.cauces.trabajo import TIPO, parametros_de
from capas.trabajos.respuestas import ir_al_trabajo
from capas.trabajos.services import trabajo_crear

PLANTILLA = "ordenamiento/franja_cauces.html"


@require_http_methods(["GET", "POST"])
@permission_required("capas.add_capareferencia", raise_exception=True)
def franja_cauces(request):
    """Muestra el formulario; al enviarlo encola la franja y lleva (303) a la página del trabajo."""
    formulario = FormularioFranjaCauces(request.POST or None)
    if request.method == "GET" or not formulario.is_valid():
        estado = 200 if request.method == "GET" else 400
        return render(request, PLANTILLA, {"formulario": formulario}, status=estado)
    trabajo = trabajo_crear(
        tipo=TIPO.nombre, parametros=parametros_de(formulario.peticion()), usuario=request.user, encolar=True
    )
    return ir_al_trabajo(trabajo)
