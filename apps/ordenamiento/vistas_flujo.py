"""Páginas del flujo de una propuesta: confirmar un paso y comparar dos momentos (mapa y tabla)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.nucleo.concurrencia import ConflictoEdicion
from apps.nucleo.forms import errores_del_servicio
from apps.nucleo.minimapa import minimapa
from apps.nucleo.permisos import exigir
from apps.ordenamiento import comparacion
from apps.ordenamiento.choices import EstadoPropuesta
from apps.ordenamiento.flujo import TRANSICIONES, propuesta_transitar
from apps.ordenamiento.forms import TransicionFormulario
from apps.ordenamiento.models import PropuestaUsoSuelo

# Leyenda de la comparación (colores de Leaflet, también en la plantilla).
ESTILOS = {
    "agregado": {"color": "#1e7b34", "weight": 2, "fillColor": "#28a745", "fillOpacity": 0.45},
    "quitado": {
        "color": "#a71d2a",
        "weight": 2,
        "fillColor": "#dc3545",
        "fillOpacity": 0.45,
        "dashArray": "4",
    },
    "comun": {"color": "#6c757d", "weight": 1, "fillColor": "#adb5bd", "fillOpacity": 0.35},
}


def propuesta_transicion(request, pk, accion):
    """Pide confirmación (y los datos que exige el paso) y da el paso del flujo por su servicio."""
    transicion = TRANSICIONES.get(accion)
    if transicion is None:
        raise Http404("Paso del flujo desconocido.")
    exigir(request.user, PropuestaUsoSuelo, "view")
    propuesta = get_object_or_404(PropuestaUsoSuelo, pk=pk)
    if not request.user.has_perm(transicion.permiso_completo):
        raise PermissionDenied(f"Su rol no permite {transicion.negado}.")
    url_ficha = reverse("ordenamiento:propuesta_ficha", args=[propuesta.pk])
    enviado = request.POST if request.method == "POST" else None
    formulario = TransicionFormulario(enviado, transicion=transicion, initial={"version": propuesta.version})
    contexto = {
        "propuesta": propuesta,
        "transicion": transicion,
        "formulario": formulario,
        "url_ficha": url_ficha,
    }
    estado = 200
    if enviado is not None and formulario.is_valid():
        try:
            propuesta_transitar(
                propuesta=propuesta,
                accion=accion,
                version=formulario.cleaned_data["version"],
                actor=request.user,
                datos=formulario.datos_servicio(),
            )
        except ConflictoEdicion as error:
            contexto["conflicto"] = {"usuario": error.usuario or "otro usuario", "fecha": error.fecha}
            contexto["propuesta"] = error.target
            estado = 409
        except ValidationError as error:
            errores_del_servicio(formulario, error)
            estado = 400
        else:
            messages.success(request, f"«{propuesta}»: {transicion.etiqueta.lower()} quedó registrado.")
            return redirect(url_ficha)
    elif enviado is not None:
        if "version" in formulario.errors:
            formulario.add_error(None, "Falta la versión de la propuesta: vuelva a abrir esta página.")
        estado = 400
    actual = contexto["propuesta"]
    contexto.update(
        {
            "origen": EstadoPropuesta(transicion.desde).label,
            "destino": EstadoPropuesta(transicion.hacia).label,
            # La versión que leyó quien confirma (tras un conflicto, la nueva que se le acaba de mostrar).
            "version": actual.version if "conflicto" in contexto else formulario["version"].value(),
            # Un paso que ya no corresponde (otro lo dio antes) se explica en la página, sin formulario.
            "fuera_de_estado": actual.estado != transicion.desde,
        }
    )
    return render(request, "ordenamiento/transicion.html", contexto, status=estado)


def _elementos(diferencia: comparacion.DiferenciaGeometria) -> list[dict]:
    """Devuelve las tres partes de la diferencia como elementos del mapa chico, con su color."""
    partes = (
        ("comun", "Común", diferencia.comun),
        ("quitado", "Quitado", diferencia.quitado),
        ("agregado", "Agregado", diferencia.agregado),
    )
    return [
        {"geom": geom, "titulo": titulo, "estilo": ESTILOS[clave]} for clave, titulo, geom in partes if geom
    ]


@require_GET
def propuesta_comparar(request, pk):
    """Compara dos momentos de la propuesta (?a=…&b=…): diferencia de geometría y de su informe."""
    exigir(request.user, PropuestaUsoSuelo, "view")
    propuesta = get_object_or_404(PropuestaUsoSuelo.objects.select_related("comuna"), pk=pk)
    opciones = comparacion.opciones(propuesta)
    claves = [clave for clave, _titulo in opciones]
    # Por omisión: la última etapa frente a la propuesta de ahora.
    clave_a = request.GET.get("a") or (claves[-2] if len(claves) > 1 else comparacion.ACTUAL)
    clave_b = request.GET.get("b") or comparacion.ACTUAL
    antes = comparacion.momento(propuesta, clave_a)
    despues = comparacion.momento(propuesta, clave_b)
    if antes is None or despues is None:
        raise Http404("Esa etapa no es de esta propuesta.")
    diferencia = comparacion.diferencia_geometria(
        antes.geom, despues.geom, srid_metrico=propuesta.comuna.srid_metrico
    )
    contexto = {
        "propuesta": propuesta,
        "opciones": opciones,
        "antes": antes,
        "despues": despues,
        "diferencia": diferencia,
        "filas": comparacion.diferencias_informe(antes.informe, despues.informe),
        "mapa": minimapa(request.user, elementos=_elementos(diferencia)),
        "estilos": ESTILOS,
        "url_ficha": reverse("ordenamiento:propuesta_ficha", args=[propuesta.pk]),
    }
    return render(request, "ordenamiento/comparar.html", contexto)
