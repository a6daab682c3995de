"""Campo de formulario para geometrías: toda entrada mala es un error del campo, nunca un 500.

El campo de Django deja escapar ``GDALException`` (GeoJSON sin coordenadas, SRID desconocido,
coordenadas que PROJ no transforma) y acepta Z, NaN o 1e308, que luego revientan en GEOS, en PROJ o en
la base. Aquí se valida antes de transformar, con el motivo en español.
"""

from django.contrib.gis import forms
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from capas.geometria import motivo_coordenadas

_ERRORES_DE_LECTURA = (GDALException, GEOSException, ValueError, TypeError, IndexError, KeyError)


class CampoGeometria(forms.GeometryField):
    """GeometryField que rechaza con mensaje en español lo ilegible, Z/M, NaN y lo fuera de rango."""

    default_error_messages = {
        "invalid_geom": _(
            "No se reconoce la geometría: use GeoJSON, WKT o EWKT con coordenadas numéricas (lon, lat)."
        ),
        "invalid_geom_type": _("Tipo de geometría no permitido en este campo."),
        "transform_error": _("No se pudo transformar la geometría al sistema de coordenadas del sistema."),
    }

    def to_python(self, value):
        """Devuelve la geometría leída, o lanza ValidationError si no se puede leer o guardar."""
        try:
            geom = super().to_python(value)
        except _ERRORES_DE_LECTURA:
            raise ValidationError(self.error_messages["invalid_geom"], code="invalid_geom") from None
        if geom is None:
            return None
        motivo = motivo_coordenadas(geom)
        if motivo:
            raise ValidationError(
                _("Geometría inválida: %(motivo)s.") % {"motivo": motivo}, code="coordenadas"
            )
        return geom

    def clean(self, value):
        """Valida y transforma al SRID del campo; un fallo de PROJ es un error del campo."""
        try:
            return super().clean(value)
        except (GDALException, GEOSException):
            raise ValidationError(self.error_messages["transform_error"], code="transform_error") from None

    def bound_data(self, data, initial):
        """Devuelve lo enviado para volver a mostrarlo; si GDAL no lo lee, el mapa vuelve vacío.

        El widget del mapa vuelve a leer el texto enviado al dibujar el formulario con sus errores, y
        un GeoJSON sin coordenadas haría fallar ese dibujo (GDALException fuera de su ``try``).
        """
        datos = super().bound_data(data, initial)
        if isinstance(datos, str) and datos and hasattr(self.widget, "deserialize"):
            try:
                self.widget.deserialize(datos)
            except _ERRORES_DE_LECTURA:
                return None
        return datos

    def has_changed(self, initial, data):
        """Compara sin fallar: una entrada ilegible cuenta como cambio (el error lo da la validación)."""
        try:
            return super().has_changed(initial, data)
        except (*_ERRORES_DE_LECTURA, ValidationError):
            return True
