"""Piezas del esquema OpenAPI de la API (drf-spectacular): errores, conflicto y parámetros de borrado."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers

from apps.api.serializadores import con_version_obligatoria

ERROR = inline_serializer(
    name="Error",
    fields={
        "detalle": serializers.CharField(help_text="Qué pasó, en español."),
        "errores": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Mensajes por campo («general» si no es de un campo).",
        ),
    },
)


def _conflicto(serializador):
    return inline_serializer(
        name=f"Conflicto{serializador.Meta.model.__name__}",
        fields={
            "detalle": serializers.CharField(),
            "errores": serializers.DictField(),
            "modificado_por": serializers.CharField(
                allow_null=True, help_text="Quién guardó la versión actual."
            ),
            "modificado_en": serializers.DateTimeField(allow_null=True, help_text="Cuándo la guardó."),
            "modificado_en_texto": serializers.CharField(allow_null=True, help_text="dd-mm-aaaa hh:mm"),
            "actual": serializador(help_text="El registro como está ahora, con su versión."),
        },
    )


VERSION_BORRADO = [
    OpenApiParameter(
        "version",
        OpenApiTypes.INT,
        OpenApiParameter.QUERY,
        description="Versión que se quiere eliminar (o la cabecera If-Match). Obligatoria una de las dos.",
    ),
    OpenApiParameter(
        "If-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description='Versión que se quiere eliminar, p. ej. "3" (alternativa a ?version=).',
    ),
]


def documentar(serializador, singular: str, plural: str, etiqueta: str):
    """Devuelve el decorador que describe en español las operaciones de un recurso (la edición, PUT
    y PATCH, con el mismo serializador y ``version`` obligatoria)."""
    edicion = con_version_obligatoria(serializador)
    errores = {400: OpenApiResponse(ERROR, "Datos o parámetros inválidos."), 403: ERROR, 404: ERROR}
    conflicto = {409: OpenApiResponse(_conflicto(serializador), "Otro usuario guardó una versión más nueva.")}
    return extend_schema_view(
        list=extend_schema(
            summary=f"Lista {plural}",
            description=(
                f"Lista paginada (limit/offset) de {plural}. Cada registro trae su geometría GeoJSON "
                "en EPSG:4326 en el campo «geometry»; la lista la arma PostGIS."
            ),
            tags=[etiqueta],
            responses={200: serializador(many=True), 400: ERROR, 403: ERROR},
        ),
        retrieve=extend_schema(
            summary=f"Lee {singular}", tags=[etiqueta], responses={200: serializador, **errores}
        ),
        create=extend_schema(
            summary=f"Crea {singular}",
            description="Valida y guarda por el servicio de la app, con el usuario como autor del cambio.",
            tags=[etiqueta],
            responses={201: serializador, 400: OpenApiResponse(ERROR, "Datos inválidos."), 403: ERROR},
        ),
        update=extend_schema(
            summary=f"Reemplaza {singular}",
            description="Exige «version»: si no es la actual, responde 409 con el registro actual.",
            tags=[etiqueta],
            request=edicion,
            responses={200: serializador, **errores, **conflicto},
        ),
        partial_update=extend_schema(
            summary=f"Modifica {singular}",
            description="Solo los campos enviados, más «version» (obligatoria; 409 si no es la actual).",
            tags=[etiqueta],
            request=edicion,
            responses={200: serializador, **errores, **conflicto},
        ),
        destroy=extend_schema(
            summary=f"Elimina {singular}",
            description="Exige la versión en ?version= o en la cabecera If-Match; 409 si no es la actual.",
            tags=[etiqueta],
            parameters=VERSION_BORRADO,
            responses={204: None, **errores, **conflicto},
        ),
    )
