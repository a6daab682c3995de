"""Filtros de las listas del patrimonio: inmuebles, activos y concesiones (django-filter)."""

import django_filters
from django.db.models import Q, Value
from django.db.models.functions import Replace

from apps.patrimonio import choices
from apps.patrimonio.models import Activo, BienInmueble, Concesion


class BienInmuebleFiltro(django_filters.FilterSet):
    """Filtra por texto (nombre, dirección o rol «573-24»), destino, tenencia y saneamiento."""

    texto = django_filters.CharFilter(label="Buscar", method="buscar")
    destino = django_filters.ChoiceFilter(
        label="Destino", choices=choices.Destino.choices, empty_label="Todos"
    )
    tenencia = django_filters.ChoiceFilter(
        label="Tenencia", choices=choices.Tenencia.choices, empty_label="Todas"
    )
    estado_saneamiento = django_filters.ChoiceFilter(
        label="Saneamiento", choices=choices.EstadoSaneamiento.choices, empty_label="Todos"
    )

    class Meta:
        model = BienInmueble
        fields = ["texto", "destino", "tenencia", "estado_saneamiento"]

    def buscar(self, queryset, _nombre, valor):
        """Busca en el nombre y la dirección, o el rol SII si el texto es «manzana-predio»."""
        condicion = Q(nombre__icontains=valor) | Q(direccion__icontains=valor)
        manzana, guion, predio = valor.strip().partition("-")
        # isdigit no basta: «²» no es un rol SII ni un int() posible; 10 cifras desbordan la columna.
        if guion and all(p.isascii() and p.isdigit() and len(p) <= 9 for p in (manzana, predio)):
            condicion |= Q(rol_manzana=int(manzana), rol_predio=int(predio))
        return queryset.filter(condicion)


class ActivoFiltro(django_filters.FilterSet):
    """Filtra por texto (nombre), tipo e inmueble."""

    texto = django_filters.CharFilter(label="Buscar", field_name="nombre", lookup_expr="icontains")
    tipo = django_filters.ChoiceFilter(label="Tipo", choices=choices.TipoActivo.choices, empty_label="Todos")
    inmueble = django_filters.ModelChoiceFilter(
        label="Inmueble", queryset=BienInmueble.objects.order_by("nombre"), empty_label="Todos"
    )

    class Meta:
        model = Activo
        fields = ["texto", "tipo", "inmueble"]


class ConcesionFiltro(django_filters.FilterSet):
    """Filtra por situación calculada (vigente, por vencer, vencida…), tipo, titular/RUT y activo."""

    situacion = django_filters.ChoiceFilter(
        label="Situación",
        field_name="situacion_calculada",
        choices=choices.Situacion.choices,
        empty_label="Todas",
    )
    tipo = django_filters.ChoiceFilter(
        label="Tipo", choices=choices.TipoConcesion.choices, empty_label="Todos"
    )
    texto = django_filters.CharFilter(label="Titular o RUT", method="buscar")
    activo = django_filters.ModelChoiceFilter(
        label="Activo", queryset=Activo.objects.order_by("nombre"), empty_label="Todos"
    )

    class Meta:
        model = Concesion
        fields = ["situacion", "tipo", "texto", "activo"]

    def buscar(self, queryset, _nombre, valor):
        """Busca en el nombre del titular y en su RUT (con o sin puntos)."""
        limpio = valor.replace(".", "").strip()
        return queryset.annotate(rut_sin_puntos=Replace("titular_rut", Value("."), Value(""))).filter(
            Q(titular_nombre__icontains=valor) | Q(rut_sin_puntos__icontains=limpio)
        )
