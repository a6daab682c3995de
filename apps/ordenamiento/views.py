"""Páginas de lectura de las propuestas de uso de suelo: lista, exportación y ficha."""

from django.db.models import Sum
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.nucleo import formatos
from apps.nucleo.fichas import contexto_ficha, datos_legibles, enlace_informe, enlace_visor
from apps.nucleo.listas import AreaM2, Columna, Tabla, Total, vistas
from apps.nucleo.minimapa import minimapa
from apps.ordenamiento.filtros import PropuestaFiltro
from apps.ordenamiento.flujo import acciones_posibles
from apps.ordenamiento.models import PropuestaUsoSuelo

CAPA = "propuestas-uso-suelo"


def _consulta():
    """Devuelve las propuestas con su superficie medida por PostGIS (m²)."""
    return PropuestaUsoSuelo.objects.annotate(area_m2=AreaM2("geom"))


def _totales(consulta) -> list[Total]:
    """Devuelve la superficie total de las propuestas filtradas (en ha)."""
    total = PropuestaUsoSuelo.objects.filter(pk__in=consulta.values("pk")).aggregate(m2=Sum(AreaM2("geom")))[
        "m2"
    ]
    return [Total("Superficie total", f"{formatos.numero((total or 0) / 10000, 2)} ha")]


TABLA = Tabla(
    modelo=PropuestaUsoSuelo,
    titulo="Propuestas de uso de suelo",
    plural="propuesta,propuestas",
    columnas=(
        Columna("Nombre", lambda p: p.nombre, orden="nombre", enlace=True),
        Columna("Uso propuesto", lambda p: p.get_uso_propuesto_display(), orden="uso_propuesto"),
        Columna("Estado", lambda p: p.get_estado_display(), orden="estado"),
        Columna("Superficie", lambda p: p.area_m2, "ha", orden="area_m2"),
        Columna("Modificada", lambda p: p.modificado, "fecha", orden="modificado", secundaria=True),
    ),
    filtro=PropuestaFiltro,
    consulta=_consulta,
    ficha="ordenamiento:propuesta_ficha",
    exportar="ordenamiento:propuestas_exportar",
    archivo="propuestas-uso-suelo",
    totales=_totales,
    crear="ordenamiento:propuesta_crear",
)
propuestas_lista, propuestas_exportar = vistas(TABLA)


@require_GET
def propuesta_ficha(request, pk):
    """Muestra una propuesta con su polígono, las otras propuestas vecinas y su historial."""
    propuesta = get_object_or_404(_consulta(), pk=pk)
    contexto = contexto_ficha(
        request,
        propuesta,
        lista="ordenamiento:propuestas_lista",
        titulo_lista="Propuestas de uso de suelo",
        editar="ordenamiento:propuesta_editar",
        eliminar="ordenamiento:propuesta_eliminar",
    )
    if not propuesta.editable:
        # Lo enviado queda como se envió: se corrige devolviéndola a borrador (docs/ordenamiento.md).
        contexto.update({"url_editar": None, "url_eliminar": None})
    datos = datos_legibles(propuesta, ["uso_propuesto", "estado", "justificacion"])
    datos.append({"etiqueta": "Superficie medida (PostGIS)", "valor": formatos.superficie(propuesta.area_m2)})
    elementos = [{"geom": propuesta.geom, "titulo": str(propuesta), "principal": True}]
    etapas = list(propuesta.etapas.select_related("actor").defer("geom", "informe").order_by("fecha", "pk"))
    contexto.update(
        {
            "datos": datos,
            "mapa": minimapa(request.user, elementos=elementos, capas=(CAPA,)),
            "url_visor": enlace_visor([CAPA], (CAPA, propuesta.pk), propuesta.geom),
            "url_informe": enlace_informe(request.user, "propuesta", propuesta, propuesta.geom),
            "acciones": [
                {
                    "transicion": t,
                    "url": reverse("ordenamiento:propuesta_transicion", args=[propuesta.pk, t.accion]),
                }
                for t in acciones_posibles(propuesta, request.user)
            ],
            "etapas": etapas,
            "url_comparar": reverse("ordenamiento:propuesta_comparar", args=[propuesta.pk])
            if etapas
            else None,
        }
    )
    return render(request, "ordenamiento/ficha.html", contexto)
