"""Filtros de la lista de zonas (django-filter)."""

import django_filters
from django.db.models import Q

from apps.ordenamiento.choices import Condicion, InstrumentoPlanificacion, UsoSuelo
from apps.ordenamiento.models import Zona


class ZonaFiltro(django_filters.FilterSet):
    """Filtra por texto (código o nombre), instrumento y uso permitido."""

    texto = django_filters.CharFilter(label="Buscar", method="filtrar_texto")
    instrumento = django_filters.ChoiceFilter(
        label="Instrumento", choices=InstrumentoPlanificacion.choices, empty_label="Todos"
    )
    nombre_instrumento = django_filters.CharFilter(label="Nombre del instrumento", lookup_expr="icontains")
    permite = django_filters.ChoiceFilter(
        label="Permite el uso", choices=UsoSuelo.choices, empty_label="Cualquiera", method="filtrar_permite"
    )

    class Meta:
        model = Zona
        fields = ["texto", "instrumento", "nombre_instrumento", "permite"]

    def filtrar_texto(self, consulta, _nombre, valor):
        """Devuelve las zonas cuyo código o nombre contiene ``valor``."""
        return consulta.filter(Q(codigo__icontains=valor) | Q(nombre__icontains=valor))

    def filtrar_permite(self, consulta, _nombre, valor):
        """Devuelve las zonas donde el uso ``valor`` está permitido."""
        return consulta.filter(usos__uso=valor, usos__condicion=Condicion.PERMITIDO)
