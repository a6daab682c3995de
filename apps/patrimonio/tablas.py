"""Listas del patrimonio (columnas, consultas y totales) para ``apps.nucleo.listas``."""

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When

from apps.nucleo import formatos
from apps.nucleo.listas import AreaM2, Columna, Tabla, Total
from apps.patrimonio import choices
from apps.patrimonio.filtros import ActivoFiltro, BienInmuebleFiltro, ConcesionFiltro
from apps.patrimonio.models import Activo, BienInmueble, Concesion
from apps.patrimonio.selectors import concesiones_con_situacion

# Clase de Bootstrap de la insignia de cada situación de una concesión.
INSIGNIAS = {
    choices.Situacion.VIGENTE: "text-bg-success",
    choices.Situacion.POR_VENCER: "text-bg-warning",
    choices.Situacion.VENCIDA: "text-bg-danger",
    choices.Situacion.TERMINADA: "text-bg-secondary",
    choices.Situacion.CADUCADA: "text-bg-dark",
}


def inmuebles():
    """Devuelve los inmuebles con su superficie medida (m², PostGIS) y su número de activos."""
    return BienInmueble.objects.annotate(area_m2=AreaM2("geom"), n_activos=Count("activos"))


def _totales_inmuebles(consulta) -> list[Total]:
    """Devuelve la superficie total medida de los inmuebles filtrados (en ha)."""
    total = BienInmueble.objects.filter(pk__in=consulta.values("pk")).aggregate(m2=Sum(AreaM2("geom")))["m2"]
    return [Total("Superficie medida", f"{formatos.numero((total or 0) / 10000, 2)} ha")]


TABLA_INMUEBLES = Tabla(
    modelo=BienInmueble,
    titulo="Bienes inmuebles",
    plural="bien inmueble,bienes inmuebles",
    columnas=(
        Columna("Rol SII", lambda i: i.rol_sii, orden="rol_manzana", clave="rol"),
        Columna("Nombre", lambda i: i.nombre, orden="nombre", enlace=True),
        Columna("Dirección", lambda i: i.direccion, orden="direccion", secundaria=True),
        Columna("Destino", lambda i: i.get_destino_display(), orden="destino"),
        Columna("Tenencia", lambda i: i.get_tenencia_display(), orden="tenencia", secundaria=True),
        Columna(
            "Saneamiento",
            lambda i: i.get_estado_saneamiento_display(),
            orden="estado_saneamiento",
            secundaria=True,
        ),
        Columna("Superficie medida", lambda i: i.area_m2, "ha", orden="area_m2"),
        Columna("Activos", lambda i: i.n_activos, "numero", orden="n_activos", secundaria=True),
    ),
    filtro=BienInmuebleFiltro,
    consulta=inmuebles,
    ficha="patrimonio:inmueble_ficha",
    exportar="patrimonio:inmuebles_exportar",
    archivo="bienes-inmuebles",
    totales=_totales_inmuebles,
    crear="patrimonio:inmueble_crear",
)


def activos():
    """Devuelve los activos con su inmueble y su número de concesiones."""
    return Activo.objects.select_related("inmueble").annotate(n_concesiones=Count("concesiones"))


TABLA_ACTIVOS = Tabla(
    modelo=Activo,
    titulo="Activos",
    plural="activo,activos",
    columnas=(
        Columna("Nombre", lambda a: a.nombre, orden="nombre", enlace=True),
        Columna("Tipo", lambda a: a.get_tipo_display(), orden="tipo"),
        Columna("Inmueble", lambda a: str(a.inmueble), orden="inmueble__nombre"),
        Columna("Concesiones", lambda a: a.n_concesiones, "numero", orden="n_concesiones"),
    ),
    filtro=ActivoFiltro,
    consulta=activos,
    ficha="patrimonio:activo_ficha",
    exportar="patrimonio:activos_exportar",
    archivo="activos",
    crear="patrimonio:activo_crear",
)


# Orden de la columna Situación: de lo más urgente a lo cerrado (no alfabético).
URGENCIA = ("vencida", "por_vencer", "vigente", "terminada", "caducada")


def concesiones():
    """Devuelve las concesiones con su situación calculada (y su urgencia), su activo e inmueble."""
    urgencia = Case(
        *[When(situacion_calculada=valor, then=Value(i)) for i, valor in enumerate(URGENCIA)],
        default=Value(len(URGENCIA)),
        output_field=IntegerField(),
    )
    return (
        concesiones_con_situacion().annotate(urgencia=urgencia).select_related("activo", "activo__inmueble")
    )


def _situacion(concesion) -> str:
    """Devuelve la etiqueta de la situación calculada por la base («Vencida»)."""
    return choices.Situacion(concesion.situacion_calculada).label


def _totales_concesiones(consulta) -> list[Total]:
    """Devuelve la suma de los cánones de las concesiones filtradas, por periodicidad; los periódicos
    solo de las que están en curso (vigentes o por vencer): una vencida o terminada ya no paga."""
    en_curso = Q(situacion_calculada__in=[choices.Situacion.VIGENTE, choices.Situacion.POR_VENCER])
    sumas = consulta.order_by().aggregate(
        mensual=Sum("canon_clp", filter=Q(periodicidad=choices.Periodicidad.MENSUAL) & en_curso),
        anual=Sum("canon_clp", filter=Q(periodicidad=choices.Periodicidad.ANUAL) & en_curso),
        unico=Sum("canon_clp", filter=Q(periodicidad=choices.Periodicidad.UNICO)),
        sin=Sum("canon_clp", filter=Q(periodicidad="")),
    )
    totales = [
        Total("Canon mensual en curso", formatos.clp(sumas["mensual"] or 0)),
        Total("Canon anual en curso", formatos.clp(sumas["anual"] or 0)),
    ]
    if sumas["unico"]:
        totales.append(Total("Pagos únicos", formatos.clp(sumas["unico"])))
    if sumas["sin"]:
        totales.append(Total("Canon sin periodicidad", formatos.clp(sumas["sin"])))
    return totales


TABLA_CONCESIONES = Tabla(
    modelo=Concesion,
    titulo="Concesiones, arriendos y comodatos",
    plural="concesión,concesiones",
    columnas=(
        Columna("Tipo", lambda c: c.get_tipo_display(), orden="tipo", secundaria=True),
        Columna("Titular", lambda c: c.titular_nombre, orden="titular_nombre", enlace=True),
        Columna("RUT", lambda c: c.titular_rut, "rut", secundaria=True),
        Columna("Activo", lambda c: c.activo.nombre, orden="activo__nombre", secundaria=True),
        Columna("Inicio", lambda c: c.fecha_inicio, "fecha", orden="fecha_inicio", secundaria=True),
        Columna("Término", lambda c: c.fecha_termino, "fecha", orden="fecha_termino"),
        Columna("Canon", lambda c: c.canon_clp, "clp", orden="canon_clp"),
        Columna(
            "Periodicidad", lambda c: c.get_periodicidad_display(), orden="periodicidad", secundaria=True
        ),
        Columna(
            "Situación",
            _situacion,
            orden="urgencia",
            clave="situacion",
            insignia=lambda c: INSIGNIAS.get(c.situacion_calculada, ""),
        ),
    ),
    filtro=ConcesionFiltro,
    consulta=concesiones,
    ficha="patrimonio:concesion_ficha",
    exportar="patrimonio:concesiones_exportar",
    archivo="concesiones",
    totales=_totales_concesiones,
    crear="patrimonio:concesion_crear",
)
