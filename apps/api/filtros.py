"""Filtros de las listas de la API (django-filter): campos clave y ``bbox`` en EPSG:4326."""

import django_filters as filtros
from django import forms
from django.contrib.gis.geos import Polygon
from rest_framework.exceptions import ValidationError

from apps.api.serializadores import BIGINT_MAX
from apps.ordenamiento.choices import EstadoPropuesta, UsoSuelo
from apps.ordenamiento.models import PropuestaUsoSuelo
from apps.patrimonio import choices as patrimonio
from apps.patrimonio.models import Activo, BienInmueble, Concesion
from apps.proyectos import choices as proyectos
from apps.proyectos.models import Proyecto
from capas.servicio.consultas import ParametroInvalido, leer_bbox

AYUDA_BBOX = (
    "Caja oeste,sur,este,norte en grados (EPSG:4326, lon/lat), p. ej. -73.3,-39.1,-73.0,-38.9: "
    "registros cuya geometría la toca."
)


class FiltroEntero(filtros.NumberFilter):
    """Número entero en el rango de la base (bigint): fuera de él es un 400, no un error de la base."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -BIGINT_MAX)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


def _bbox(texto: str) -> Polygon:
    """Devuelve la caja del parámetro ``bbox`` o lanza un 400 con el motivo en español."""
    try:
        caja = leer_bbox(texto)
    except ParametroInvalido as error:
        raise ValidationError({"bbox": [str(error)]}) from error
    oeste, sur, este, norte = caja
    if oeste == este or sur == norte:
        raise ValidationError({"bbox": ["bbox vacío: oeste debe ser menor que este y sur menor que norte."]})
    return Polygon.from_bbox(caja)


class FiltroRegistro(filtros.FilterSet):
    """Base: ``bbox`` sobre la geometría del modelo (``campo_geometria``) y ``nombre`` por contenido."""

    campo_geometria = "geom"
    bbox = filtros.CharFilter(method="filtrar_bbox", label="bbox", help_text=AYUDA_BBOX)

    def filtrar_bbox(self, queryset, name, value):
        """Deja los registros cuya geometría toca la caja (usa el índice espacial)."""
        caja = _bbox(value)
        caja.srid = 4326
        return queryset.filter(**{f"{self.campo_geometria}__intersects": caja})


class ProyectoFiltro(FiltroRegistro):
    """Filtros de proyectos."""

    nombre = filtros.CharFilter(lookup_expr="icontains", help_text="Parte del nombre.")
    codigo_bip = filtros.CharFilter(help_text="Código BIP exacto (40012345-6).")
    tipologia = filtros.ChoiceFilter(choices=proyectos.Tipologia.choices)
    etapa = filtros.ChoiceFilter(choices=proyectos.Etapa.choices)
    institucion = filtros.ChoiceFilter(choices=proyectos.Institucion.choices)
    fuente = FiltroEntero(field_name="fuente_id", help_text="Id de la fuente de financiamiento.")
    localidad = FiltroEntero(field_name="localidad_id", help_text="Id de la localidad.")
    monto_min = FiltroEntero(
        field_name="monto_solicitado", lookup_expr="gte", help_text="Monto solicitado ≥ (CLP)."
    )
    monto_max = FiltroEntero(
        field_name="monto_solicitado", lookup_expr="lte", help_text="Monto solicitado ≤ (CLP)."
    )

    class Meta:
        model = Proyecto
        fields = []


class BienInmuebleFiltro(FiltroRegistro):
    """Filtros de bienes inmuebles."""

    nombre = filtros.CharFilter(lookup_expr="icontains", help_text="Parte del nombre.")
    rol_manzana = FiltroEntero(help_text="Manzana del rol SII.")
    rol_predio = FiltroEntero(help_text="Predio del rol SII.")
    destino = filtros.ChoiceFilter(choices=patrimonio.Destino.choices)
    tenencia = filtros.ChoiceFilter(choices=patrimonio.Tenencia.choices)
    estado_saneamiento = filtros.ChoiceFilter(choices=patrimonio.EstadoSaneamiento.choices)

    class Meta:
        model = BienInmueble
        fields = []


class ActivoFiltro(FiltroRegistro):
    """Filtros de activos."""

    campo_geometria = "ubicacion"
    nombre = filtros.CharFilter(lookup_expr="icontains", help_text="Parte del nombre.")
    tipo = filtros.ChoiceFilter(choices=patrimonio.TipoActivo.choices)
    inmueble = FiltroEntero(field_name="inmueble_id", help_text="Id del bien inmueble.")

    class Meta:
        model = Activo
        fields = []


class ConcesionFiltro(FiltroRegistro):
    """Filtros de concesiones (``situacion`` es la calculada de las fechas)."""

    tipo = filtros.ChoiceFilter(choices=patrimonio.TipoConcesion.choices)
    estado = filtros.ChoiceFilter(choices=patrimonio.EstadoConcesion.choices)
    situacion = filtros.ChoiceFilter(field_name="situacion_calculada", choices=patrimonio.Situacion.choices)
    activo = FiltroEntero(field_name="activo_id", help_text="Id del activo.")
    titular = filtros.CharFilter(
        field_name="titular_nombre", lookup_expr="icontains", help_text="Parte del titular."
    )
    termino_desde = filtros.DateFilter(field_name="fecha_termino", lookup_expr="gte", help_text="aaaa-mm-dd")
    termino_hasta = filtros.DateFilter(field_name="fecha_termino", lookup_expr="lte", help_text="aaaa-mm-dd")

    class Meta:
        model = Concesion
        fields = []


class PropuestaFiltro(FiltroRegistro):
    """Filtros de propuestas de uso de suelo."""

    nombre = filtros.CharFilter(lookup_expr="icontains", help_text="Parte del nombre.")
    estado = filtros.ChoiceFilter(choices=EstadoPropuesta.choices)
    uso_propuesto = filtros.ChoiceFilter(choices=UsoSuelo.choices)

    class Meta:
        model = PropuestaUsoSuelo
        fields = []
