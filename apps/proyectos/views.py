"""Páginas de lectura de proyectos: lista con filtros y totales, exportación y ficha."""

from django.contrib.gis.measure import D
from django.db.models import Sum
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.nucleo import formatos
from apps.nucleo.fichas import contexto_ficha, datos_legibles, enlace_informe, enlace_visor
from apps.nucleo.listas import Columna, Tabla, Total, vistas
from apps.nucleo.minimapa import minimapa
from apps.proyectos.filtros import ProyectoFiltro
from apps.proyectos.models import Proyecto

CAPAS = ("proyectos-puntos", "proyectos-lineas", "proyectos-areas")
VECINDAD_M = 500


def _consulta():
    """Devuelve los proyectos con su fuente y localidad (para mostrarlas sin una consulta por fila)."""
    return Proyecto.objects.select_related("fuente", "localidad")


def _totales(consulta) -> list[Total]:
    """Devuelve la suma de los montos solicitados y aprobados de la lista filtrada."""
    sumas = consulta.order_by().aggregate(solicitado=Sum("monto_solicitado"), aprobado=Sum("monto_aprobado"))
    return [
        Total("Monto solicitado", formatos.clp(sumas["solicitado"] or 0)),
        Total("Monto aprobado", formatos.clp(sumas["aprobado"] or 0)),
    ]


TABLA = Tabla(
    modelo=Proyecto,
    titulo="Proyectos de inversión",
    plural="proyecto,proyectos",
    columnas=(
        Columna("Código BIP", lambda p: p.codigo_bip, orden="codigo_bip", secundaria=True),
        Columna("Nombre", lambda p: p.nombre, orden="nombre", enlace=True),
        Columna("Etapa", lambda p: p.get_etapa_display(), orden="etapa"),
        Columna("Tipología", lambda p: p.get_tipologia_display(), orden="tipologia", secundaria=True),
        Columna(
            "Fuente",
            lambda p: p.fuente.codigo.upper() if p.fuente else None,
            orden="fuente__codigo",
            secundaria=True,
        ),
        Columna(
            "Localidad",
            lambda p: p.localidad.nombre if p.localidad else None,
            orden="localidad__nombre",
            secundaria=True,
        ),
        Columna(
            "Monto solicitado", lambda p: p.monto_solicitado, "clp", orden="monto_solicitado", secundaria=True
        ),
        Columna("Monto aprobado", lambda p: p.monto_aprobado, "clp", orden="monto_aprobado"),
        Columna("Modificado", lambda p: p.modificado, "fecha", orden="modificado", secundaria=True),
    ),
    filtro=ProyectoFiltro,
    consulta=_consulta,
    ficha="proyectos:ficha",
    exportar="proyectos:exportar",
    archivo="proyectos",
    totales=_totales,
    crear="proyectos:crear",
)
lista, exportar = vistas(TABLA)


@require_GET
def ficha(request, pk):
    """Muestra un proyecto con sus datos, su mapa con los proyectos a 500 m y su historial."""
    proyecto = get_object_or_404(_consulta(), pk=pk)
    contexto = contexto_ficha(
        request,
        proyecto,
        lista="proyectos:lista",
        titulo_lista="Proyectos",
        editar="proyectos:editar",
        eliminar="proyectos:eliminar",
    )
    vecinos = []
    if proyecto.geom is not None:
        vecinos = list(
            Proyecto.objects.filter(geom__distance_lte=(proyecto.geom, D(m=VECINDAD_M)))
            .exclude(pk=proyecto.pk)
            .order_by("nombre")[:50]
        )
    elementos = [{"geom": proyecto.geom, "titulo": str(proyecto), "principal": True}] + [
        {"geom": v.geom, "titulo": str(v), "url": reverse("proyectos:ficha", args=[v.pk])} for v in vecinos
    ]
    capa = _capa_de(proyecto)
    contexto.update(
        {
            "datos": datos_legibles(
                proyecto,
                ["codigo_bip", "codigo_licitacion", "tipologia", "etapa", "institucion", "institucion_nombre"]
                + ["unidad_tecnica", "monto_solicitado", "monto_aprobado", "descripcion"],
            ),
            "vecinos": vecinos,
            "vecindad_m": VECINDAD_M,
            "mapa": minimapa(request.user, elementos=elementos) if proyecto.geom is not None else None,
            "url_visor": enlace_visor(list(CAPAS), (capa, proyecto.pk) if capa else None, proyecto.geom),
            "url_informe": enlace_informe(request.user, "proyecto", proyecto, proyecto.geom),
        }
    )
    return render(request, "proyectos/ficha.html", contexto)


def _capa_de(proyecto) -> str | None:
    """Devuelve la capa del visor en que se dibuja el proyecto según su tipo de geometría."""
    if proyecto.geom is None:
        return None
    tipo = proyecto.geom.geom_type.upper().removeprefix("MULTI")
    return {"POINT": CAPAS[0], "LINESTRING": CAPAS[1], "POLYGON": CAPAS[2]}.get(tipo)
