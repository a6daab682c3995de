"""Filtros de la lista de propuestas de uso de suelo (django-filter)."""

import django_filters

from apps.ordenamiento.choices import EstadoPropuesta, UsoSuelo
from apps.ordenamiento.models import PropuestaUsoSuelo


class PropuestaFiltro(django_filters.FilterSet):
    """Filtra por texto (nombre), uso propuesto y estado."""

    texto = django_filters.CharFilter(label="Buscar", field_name="nombre", lookup_expr="icontains")
    uso_propuesto = django_filters.ChoiceFilter(
        label="Uso propuesto", choices=UsoSuelo.choices, empty_label="Todos"
    )
    estado = django_filters.ChoiceFilter(label="Estado", choices=EstadoPropuesta.choices, empty_label="Todos")

    class Meta:
        model = PropuestaUsoSuelo
        fields = ["texto", "uso_propuesto", "estado"]
