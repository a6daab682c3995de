"""Serializadores de la API: validan la entrada y describen el esquema; no guardan nada.

Las escrituras las hace el servicio de cada app (``services.py``) con ``validated_data``; la salida
la arma PostGIS (``lectura.py``) con las mismas claves que declaran estos serializadores.
"""

from functools import cache

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from apps.api.geojson import CampoGeoJSON
from apps.ordenamiento.flujo import ACUERDO_MAX, TRANSICIONES
from apps.ordenamiento.models import PropuestaUsoSuelo
from apps.patrimonio.choices import Situacion
from apps.patrimonio.models import Activo, BienInmueble, Concesion
from apps.proyectos.models import Proyecto

# El mayor entero de una columna bigint de PostgreSQL (ids, versiones, montos): más es un 400.
BIGINT_MAX = 2**63 - 1

_SOLO_LECTURA = ("id", "creado", "modificado")
_AYUDA_VERSION = (
    "Versión del registro (control de ediciones concurrentes). Obligatoria al actualizar: si otro "
    "usuario guardó después, la respuesta es 409 con el registro actual."
)
_POLIGONOS = {"tipos": ("MultiPolygon",), "multi": True}


class Registro(serializers.ModelSerializer):
    """Base común: id, versión y marcas de tiempo; las reglas de unicidad las valida el servicio."""

    version = serializers.IntegerField(required=False, min_value=1, help_text=_AYUDA_VERSION)

    class Meta:
        read_only_fields = _SOLO_LECTURA
        # Unicidad y reglas del modelo: las valida full_clean() dentro del servicio, con su mensaje.
        validators = []


@extend_schema_serializer(component_name="Proyecto")
class ProyectoSerializador(Registro):
    """Proyecto de inversión con su ubicación (punto, línea o polígono)."""

    geometry = CampoGeoJSON(
        source="geom", required=False, allow_null=True, help_text="Ubicación de la obra (EPSG:4326)."
    )
    monto_solicitado = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=BIGINT_MAX, help_text="Pesos chilenos."
    )
    monto_aprobado = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=BIGINT_MAX, help_text="Pesos chilenos."
    )

    class Meta(Registro.Meta):
        model = Proyecto
        fields = [
            "id",
            "codigo_bip",
            "codigo_licitacion",
            "nombre",
            "descripcion",
            "tipologia",
            "etapa",
            "institucion",
            "institucion_nombre",
            "unidad_tecnica",
            "fuente",
            "monto_solicitado",
            "monto_aprobado",
            "localidad",
            "geometry",
            "version",
            "creado",
            "modificado",
        ]


@extend_schema_serializer(component_name="BienInmueble")
class BienInmuebleSerializador(Registro):
    """Bien inmueble municipal con su rol SII y su polígono."""

    geometry = CampoGeoJSON(source="geom", help_text="Polígono del predio (EPSG:4326).", **_POLIGONOS)

    class Meta(Registro.Meta):
        model = BienInmueble
        fields = [
            "id",
            "nombre",
            "rol_manzana",
            "rol_predio",
            "direccion",
            "conservador",
            "cbr_registro",
            "cbr_fojas",
            "cbr_fojas_vuelta",
            "cbr_numero",
            "cbr_anio",
            "superficie_m2",
            "destino",
            "tenencia",
            "estado_saneamiento",
            "geometry",
            "version",
            "creado",
            "modificado",
        ]


@extend_schema_serializer(component_name="Activo")
class ActivoSerializador(Registro):
    """Activo municipal sobre un bien inmueble, con su ubicación puntual."""

    geometry = CampoGeoJSON(
        source="ubicacion",
        tipos=("Point",),
        required=False,
        allow_null=True,
        help_text="Ubicación del activo: un punto (EPSG:4326).",
    )

    class Meta(Registro.Meta):
        model = Activo
        fields = [
            "id",
            "inmueble",
            "nombre",
            "tipo",
            "descripcion",
            "geometry",
            "version",
            "creado",
            "modificado",
        ]


@extend_schema_serializer(component_name="Concesion")
class ConcesionSerializador(Registro):
    """Concesión, arriendo o comodato de un activo; ``situacion`` se calcula de sus fechas."""

    geometry = CampoGeoJSON(
        source="geom",
        required=False,
        allow_null=True,
        help_text="Área concesionada (EPSG:4326); sin área, abarca todo el activo.",
        **_POLIGONOS,
    )
    canon_clp = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=BIGINT_MAX, help_text="Pesos chilenos."
    )
    situacion = serializers.ChoiceField(
        source="situacion_calculada",
        choices=Situacion.choices,
        read_only=True,
        help_text="Calculada: vigente, por vencer, vencida (por la fecha de término), terminada o caducada.",
    )

    class Meta(Registro.Meta):
        model = Concesion
        fields = [
            "id",
            "activo",
            "tipo",
            "titular_nombre",
            "titular_rut",
            "fecha_inicio",
            "fecha_termino",
            "canon_clp",
            "periodicidad",
            "garantia",
            "estado",
            "situacion",
            "geometry",
            "version",
            "creado",
            "modificado",
        ]


@extend_schema_serializer(component_name="Propuesta")
class PropuestaSerializador(Registro):
    """Propuesta de uso de suelo; su ``estado`` lo cambia el flujo de aprobación, no la edición."""

    geometry = CampoGeoJSON(source="geom", help_text="Polígono propuesto (EPSG:4326).", **_POLIGONOS)

    class Meta(Registro.Meta):
        model = PropuestaUsoSuelo
        fields = [
            "id",
            "nombre",
            "uso_propuesto",
            "justificacion",
            "estado",
            "geometry",
            "version",
            "creado",
            "modificado",
        ]
        read_only_fields = (*_SOLO_LECTURA, "estado")


class TransicionSerializador(serializers.Serializer):
    """Paso del flujo de una propuesta: la acción, la versión leída y los datos que pide la acción."""

    accion = serializers.ChoiceField(
        choices=[(t.accion, t.etiqueta) for t in TRANSICIONES.values()],
        help_text=(
            "enviar (borrador → en revisión; Planificador), devolver (en revisión → borrador, con "
            "observación; Director), presentar (en revisión → presentada al Concejo; Director), aprobar "
            "o rechazar (presentada → aprobada/rechazada, con fecha de sesión y número de acuerdo; Director)."
        ),
    )
    version = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, help_text=_AYUDA_VERSION)
    observacion = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="Obligatoria al devolver."
    )
    fecha_sesion = serializers.DateField(
        required=False, allow_null=True, help_text="Fecha de la sesión del Concejo (aprobar o rechazar)."
    )
    numero_acuerdo = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=ACUERDO_MAX,
        help_text="Número del acuerdo del Concejo, p. ej. «123/2026» (aprobar o rechazar).",
    )


@cache
def con_version_obligatoria(serializador):
    """Devuelve el serializador de edición: el mismo, con ``version`` obligatoria (PUT y PATCH)."""
    nombre = serializador.Meta.model.__name__

    class Edicion(serializador):
        version = serializers.IntegerField(min_value=1, help_text=_AYUDA_VERSION)

        class Meta(serializador.Meta):
            pass

    Edicion.__name__ = Edicion.__qualname__ = f"{nombre}Edicion"
    Edicion.__doc__ = f"{serializador.__doc__} Para editar: con la versión leída."
    return extend_schema_serializer(component_name=f"{nombre}Edicion")(Edicion)
