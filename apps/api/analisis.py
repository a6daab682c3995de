"""API del análisis de superposición: un polígono cualquiera o una propuesta guardada → su informe."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as ErrorDeValidacion
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api.esquema import ERROR
from apps.api.geojson import CampoGeoJSON
from apps.api.serializadores import BIGINT_MAX
from apps.comunas.selectors import comuna_configurada
from apps.ordenamiento.choices import Condicion, UsoSuelo
from apps.ordenamiento.models import PropuestaUsoSuelo
from apps.ordenamiento.superposicion import (
    informe_de_propuesta,
    informe_superposicion,
    poligono_para_analisis,
)

PERMISO = "ordenamiento.view_propuestausosuelo"
_CONDICION = serializers.ChoiceField(
    choices=Condicion.choices, allow_null=True, help_text="Cómo admite la zona o la restricción el uso."
)


class PuedeAnalizar(BasePermission):
    """Exige sesión y el permiso de ver propuestas (lo tienen todos los roles)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(PERMISO))


class SolicitudSuperposicion(serializers.Serializer):
    """Polígono a analizar, con el uso que se propone (opcional) y el radio de cercanía."""

    geometria = CampoGeoJSON(tipos=("MultiPolygon",), multi=True, help_text="Polígono en EPSG:4326.")
    uso = serializers.ChoiceField(
        choices=UsoSuelo.choices,
        required=False,
        allow_null=True,
        help_text="Uso propuesto: el informe dice si cada zona y restricción lo permite.",
    )
    radio_m = serializers.FloatField(
        required=False,
        min_value=0,
        max_value=50_000,
        help_text="Radio (m) para la restricción más cercana de cada categoría (5.000 por omisión).",
    )

    def validate(self, datos):
        """Valida el polígono: válido, con superficie, dentro de la comuna y de tamaño acotado."""
        comuna = comuna_configurada(con_geometrias=True)
        if comuna is None:
            raise serializers.ValidationError("No hay una comuna cargada para analizar.")
        try:
            datos["geometria"] = poligono_para_analisis(datos["geometria"], comuna=comuna)
        except ErrorDeValidacion as error:
            raise serializers.ValidationError(error.message_dict) from error
        datos["comuna"] = comuna
        return datos


_CAPA = inline_serializer(
    name="AreaPorCapa",
    fields={
        "capa": serializers.CharField(help_text="Identificador de la capa (el mismo en todo el sistema)."),
        "titulo": serializers.CharField(),
        "area_m2": serializers.FloatField(),
        "porcentaje": serializers.FloatField(help_text="% del polígono."),
    },
)
INFORME = inline_serializer(
    name="InformeSuperposicion",
    fields={
        "area_m2": serializers.FloatField(help_text="Área del polígono en el UTM de la comuna."),
        "area_ha": serializers.FloatField(),
        "uso": serializers.CharField(allow_null=True),
        "srid_metrico": serializers.IntegerField(help_text="EPSG en que se midió."),
        "radio_m": serializers.FloatField(),
        "calculado": serializers.DateTimeField(),
        "categorias": inline_serializer(
            name="AreaPorCategoria",
            many=True,
            fields={
                "categoria": serializers.CharField(help_text="Valor de la categoría de las capas."),
                "etiqueta": serializers.CharField(),
                "fundamento": serializers.CharField(),
                "condicion": _CONDICION,
                "area_m2": serializers.FloatField(help_text="Sin contar dos veces lo superpuesto."),
                "porcentaje": serializers.FloatField(),
                "capas": _CAPA,
            },
        ),
        "zonas": inline_serializer(
            name="AreaPorZona",
            many=True,
            fields={
                "zona": serializers.IntegerField(),
                "codigo": serializers.CharField(),
                "nombre": serializers.CharField(),
                "instrumento": serializers.CharField(),
                "nombre_instrumento": serializers.CharField(),
                "area_m2": serializers.FloatField(),
                "porcentaje": serializers.FloatField(),
                "condicion": _CONDICION,
            },
        ),
        "distancias": inline_serializer(
            name="RestriccionCercana",
            many=True,
            fields={
                "categoria": serializers.CharField(),
                "etiqueta": serializers.CharField(),
                "capa": serializers.CharField(),
                "titulo": serializers.CharField(),
                "fid": serializers.IntegerField(),
                "elemento": serializers.CharField(),
                "distancia_m": serializers.FloatField(help_text="0 si el polígono la toca."),
            },
        ),
        "localidades": inline_serializer(
            name="LocalidadTocada",
            many=True,
            fields={
                "localidad": serializers.IntegerField(),
                "nombre": serializers.CharField(),
                "tipo": serializers.CharField(),
                "area_m2": serializers.FloatField(allow_null=True),
            },
        ),
        "veredicto": serializers.CharField(
            allow_null=True, help_text="prohibido, condicionado, permitido o sin_norma (con uso)."
        ),
    },
)


class VistaAnalisis(APIView):
    """Base: JSON con 401/403 en vez de redirigir al ingreso."""

    permission_classes = [PuedeAnalizar]

    @classmethod
    def as_view(cls, *args, **kwargs):
        """La API responde 401/403 en JSON, no redirige a la página de ingreso."""
        return login_not_required(super().as_view(*args, **kwargs))


class SuperposicionVista(VistaAnalisis):
    """Informe de superposición de un polígono cualquiera."""

    @extend_schema(
        operation_id="analisis_superposicion",
        summary="Analizar un polígono contra zonas y restricciones",
        description="Áreas por zona y por categoría de restricción (y por capa dentro de ella, sin contar "
        "dos veces lo superpuesto), restricción más cercana de cada categoría y localidades que toca. "
        "Áreas medidas en el UTM de la comuna.",
        tags=["Análisis"],
        request=SolicitudSuperposicion,
        responses={200: INFORME, 400: OpenApiResponse(ERROR, description="Polígono inválido o fuera.")},
    )
    def post(self, request):
        """Devuelve el informe del polígono enviado."""
        solicitud = SolicitudSuperposicion(data=request.data)
        solicitud.is_valid(raise_exception=True)
        datos = solicitud.validated_data
        return Response(
            informe_superposicion(
                datos["geometria"], comuna=datos["comuna"], uso=datos.get("uso"), radio_m=datos.get("radio_m")
            )
        )


class InformePropuestaVista(VistaAnalisis):
    """Informe de superposición vigente de una propuesta guardada."""

    @extend_schema(
        operation_id="propuestas_informe",
        summary="Informe de superposición de una propuesta",
        description="El informe calculado ahora con las capas vigentes y el uso propuesto. Los informes "
        "congelados en cada etapa del flujo están en la ficha de la propuesta.",
        tags=["Propuestas"],
        responses={200: INFORME, 404: OpenApiResponse(ERROR, description="No existe.")},
    )
    def get(self, request, pk: int):
        """Devuelve el informe de la propuesta ``pk``."""
        if pk > BIGINT_MAX:
            raise NotFound()
        propuesta = get_object_or_404(PropuestaUsoSuelo.objects.select_related("comuna"), pk=pk)
        return Response(informe_de_propuesta(propuesta))
