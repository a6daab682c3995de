"""Listas de registros para planificadores: filtros, orden por columna, paginación, totales y exportación.

Cada app declara una ``Tabla`` (columnas, filtro de django-filter, consulta y totales) y sus vistas solo
llaman a ``responder_lista`` / ``responder_exportacion``: la lista en pantalla y el archivo exportado
salen de la misma consulta filtrada y de las mismas columnas.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.core.paginator import Paginator
from django.db.models import F, FloatField, Func, OuterRef, QuerySet, Subquery
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.nucleo import formatos
from apps.nucleo.fichas import url_opcional
from apps.nucleo.permisos import exigir, puede_editar

POR_PAGINA = 25
FORMATOS = {
    "texto": lambda v: formatos.VACIO if v in (None, "") else str(v),
    "clp": formatos.clp,
    "fecha": formatos.fecha,
    "numero": formatos.numero,
    "ha": lambda v: formatos.VACIO if v is None else f"{formatos.numero(v / 10000, 2)} ha",
    "rut": formatos.rut,
}
# Columnas cuya cifra se alinea a la derecha.
CIFRAS = {"clp", "numero", "ha"}


class AreaM2(Func):
    """Área en m² de una geometría en 4326, calculada por PostGIS en el UTM de la comuna del registro:
    la misma cifra que miden el formulario de dibujo y la validación (docs/srid.md), no otra sobre el
    esferoide. El SRID sale de la misma consulta (sin otra ida a la base por lista)."""

    function = "ST_Area"
    output_field = FloatField()

    def __init__(self, campo: str):
        from apps.comunas.models import Comuna

        srid = Subquery(Comuna.objects.filter(pk=OuterRef("comuna_id")).values("srid_metrico")[:1])
        super().__init__(Func(F(campo), srid, function="ST_Transform", output_field=GeometryField()))


@dataclass(frozen=True)
class Columna:
    """Columna de una lista: título, valor crudo (para exportar) y cómo se muestra y ordena."""

    titulo: str
    valor: Callable[[Any], Any]
    formato: str = "texto"
    orden: str | None = None  # expresión de order_by; sin ella la columna no se ordena
    enlace: bool = False  # la celda lleva a la ficha del registro
    clave: str = ""  # nombre de la columna en ?orden= (por omisión, ``orden``)
    insignia: Callable[[Any], str] | None = None  # clase de Bootstrap de la insignia (p. ej. situación)
    secundaria: bool = False  # se oculta en pantallas angostas (teléfono)

    @property
    def clase(self) -> str:
        """Devuelve las clases CSS de la columna (cifras a la derecha, secundarias ocultas en teléfono)."""
        clases = []
        if self.formato in CIFRAS:
            clases.append("cifra")
        if self.formato in ("fecha", "rut"):
            clases.append("text-nowrap")
        if self.secundaria:
            clases.append("d-none d-md-table-cell")
        return " ".join(clases)

    @property
    def nombre_orden(self) -> str:
        """Devuelve el nombre con que se pide ordenar por esta columna."""
        return self.clave or (self.orden or "").replace("__", "_")

    def mostrar(self, obj) -> str:
        """Devuelve el valor como lo lee una persona (es-CL)."""
        return FORMATOS[self.formato](self.valor(obj))


@dataclass(frozen=True)
class Total:
    """Un total de la lista filtrada (p. ej. «Monto aprobado: $ 1.500.000»)."""

    titulo: str
    valor: str


@dataclass(frozen=True)
class Tabla:
    """Declaración de la lista de un modelo."""

    modelo: type
    titulo: str
    plural: str  # «proyecto,proyectos» para formatos.plural
    columnas: tuple[Columna, ...]
    filtro: type  # FilterSet de django-filter
    consulta: Callable[[], QuerySet]
    ficha: str  # nombre de URL de la ficha (args=[pk])
    exportar: str  # nombre de URL de la exportación
    archivo: str  # nombre base del archivo exportado
    totales: Callable[[QuerySet], list[Total]] = field(default=lambda qs: [])
    crear: str | None = None  # nombre de URL del formulario de alta (si existe)
    orden_por_omision: str = ""


def filtrar(tabla: Tabla, request) -> tuple[Any, QuerySet, str]:
    """Devuelve el filtro (para el formulario), la consulta filtrada y ordenada y el orden aplicado."""
    filtro = tabla.filtro(request.GET or None, queryset=tabla.consulta())
    _estilo_bootstrap(filtro.form)
    if not filtro.is_bound:
        consulta = tabla.consulta()
    elif filtro.is_valid():
        consulta = filtro.qs
    else:
        # Un filtro inválido (p. ej. una fuente que no existe) no muestra todo: muestra nada y el error.
        consulta = tabla.consulta().none()
    pedido = request.GET.get("orden", tabla.orden_por_omision)
    permitidas = {c.nombre_orden: c.orden for c in tabla.columnas if c.orden}
    nombre = pedido.lstrip("-")
    if nombre in permitidas:
        expresion = permitidas[nombre]
        descendente = pedido.startswith("-")
        campo = f"-{expresion}" if descendente else expresion
        consulta = consulta.order_by(campo, "-pk" if descendente else "pk")
    else:
        pedido = ""
        # Con agregados (Count) Django ya no aplica Meta.ordering: el orden por omisión va explícito.
        consulta = consulta.order_by(*tabla.modelo._meta.ordering, "pk")
    return filtro, consulta, pedido


def _estilo_bootstrap(formulario) -> None:
    """Da a los campos del filtro las clases chicas de Bootstrap."""
    for campo in formulario.fields.values():
        es_lista = getattr(campo.widget, "input_type", "") == "select" or hasattr(campo.widget, "choices")
        campo.widget.attrs["class"] = (
            "form-select form-select-sm" if es_lista else "form-control form-control-sm"
        )


def _sin(parametros, *claves) -> str:
    """Devuelve la query string sin las claves dadas (para armar enlaces de orden y de página)."""
    copia = parametros.copy()
    for clave in claves:
        copia.pop(clave, None)
    return copia.urlencode()


def responder_lista(request, tabla: Tabla, plantilla: str = "nucleo/lista.html"):
    """Responde la página de la lista (403 si el rol no puede ver el modelo)."""
    exigir(request.user, tabla.modelo, "view")
    filtro, consulta, pedido = filtrar(tabla, request)
    pagina = Paginator(consulta, POR_PAGINA).get_page(request.GET.get("pagina"))
    base_orden = _sin(request.GET, "orden", "pagina")
    encabezados = []
    for col in tabla.columnas:
        enlace = None
        estado = ""
        if col.orden:
            nombre = col.nombre_orden
            siguiente = f"-{nombre}" if pedido == nombre else nombre
            estado = "asc" if pedido == nombre else "desc" if pedido == f"-{nombre}" else ""
            enlace = "?" + "&".join(p for p in (base_orden, f"orden={siguiente}") if p)
        encabezados.append({"titulo": col.titulo, "enlace": enlace, "estado": estado, "clase": col.clase})
    filas = [
        {
            "url": reverse(tabla.ficha, args=[obj.pk]),
            "celdas": [
                {
                    "texto": col.mostrar(obj),
                    "enlace": col.enlace,
                    "clase": col.clase,
                    "insignia": col.insignia(obj) if col.insignia else "",
                }
                for col in tabla.columnas
            ],
        }
        for obj in pagina.object_list
    ]
    filtros_qs = _sin(request.GET, "pagina")
    contexto = {
        "tabla": tabla,
        "filtro": filtro,
        "pagina": pagina,
        "encabezados": encabezados,
        "filas": filas,
        "cantidad": formatos.plural(pagina.paginator.count, tabla.plural),
        "totales": tabla.totales(consulta),
        "qs_pagina": filtros_qs,
        "url_exportar": reverse(tabla.exportar),
        "qs_exportar": _sin(request.GET, "pagina", "formato"),
        "url_crear": url_opcional(tabla.crear) if puede_editar(request.user, tabla.modelo) else None,
        "hay_filtros": any(v for k, v in request.GET.items() if k not in ("orden", "pagina")),
    }
    return render(request, plantilla, contexto)


def responder_exportacion(request, tabla: Tabla):
    """Responde la lista filtrada como CSV o XLSX (``?formato=``), con los mismos filtros y orden."""
    from apps.nucleo.exportar_tabla import responder_csv, responder_xlsx

    exigir(request.user, tabla.modelo, "view")
    formato = request.GET.get("formato", "csv")
    if formato not in ("csv", "xlsx"):
        return HttpResponseBadRequest(
            "Formato de exportación no disponible: use csv o xlsx.", content_type="text/plain; charset=utf-8"
        )
    _filtro, consulta, _pedido = filtrar(tabla, request)
    if formato == "xlsx":
        return responder_xlsx(tabla, consulta)
    return responder_csv(tabla, consulta)


def vistas(tabla: Tabla):
    """Devuelve las vistas (lista, exportar) de una tabla: solo GET, 403 si el rol no puede ver."""

    @require_GET
    def lista(request):
        return responder_lista(request, tabla)

    @require_GET
    def exportar(request):
        return responder_exportacion(request, tabla)

    return lista, exportar
