"""Filtros de la lista de proyectos (django-filter)."""

import django_filters
from django.db.models import Q

from apps.comunas.models import Localidad
from apps.proyectos import choices
from apps.proyectos.models import FuenteFinanciamiento, Proyecto


class ProyectoFiltro(django_filters.FilterSet):
    """Filtra por texto (nombre, BIP, licitación), etapa, tipología, institución, fuente y localidad."""

    texto = django_filters.CharFilter(label="Buscar", method="buscar")
    etapa = django_filters.ChoiceFilter(label="Etapa", choices=choices.Etapa.choices, empty_label="Todas")
    tipologia = django_filters.ChoiceFilter(
        label="Tipología", choices=choices.Tipologia.choices, empty_label="Todas"
    )
    institucion = django_filters.ChoiceFilter(
        label="Institución", choices=choices.Institucion.choices, empty_label="Todas"
    )
    fuente = django_filters.ModelChoiceFilter(
        label="Fuente", queryset=FuenteFinanciamiento.objects.order_by("codigo"), empty_label="Todas"
    )
    localidad = django_filters.ModelChoiceFilter(
        label="Localidad", queryset=Localidad.objects.order_by("nombre"), empty_label="Todas"
    )

    class Meta:
        model = Proyecto
        fields = ["texto", "etapa", "tipologia", "institucion", "fuente", "localidad"]

    def buscar(self, queryset, _nombre, valor):
        """Busca el texto en el nombre, el código BIP y el código de Mercado Público."""
        return queryset.filter(
            Q(nombre__icontains=valor)
            | Q(codigo_bip__icontains=valor)
            | Q(codigo_licitacion__icontains=valor)
        )
