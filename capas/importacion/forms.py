"""Formulario de carga de capas: valida la entrada antes de llamar al servicio."""

from pathlib import Path

from django import forms
from django.core.validators import RegexValidator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from capas import categorias
from capas.importacion.seguridad import EXTENSIONES, LIMITES, MIB, anuncia_raster
from capas.registro import RE_NOMBRE


class FormularioImportacion(forms.Form):
    """Archivo y metadatos de una capa a importar."""

    archivo = forms.FileField(
        label=_("Archivo"),
        help_text=_("Shapefile en .zip, GeoPackage, GeoJSON, KML/KMZ, CSV (WKT o lon/lat) o GeoTIFF."),
    )
    nombre = forms.CharField(
        label=_("Identificador"),
        max_length=63,
        validators=[RegexValidator(RE_NOMBRE, _("Minúsculas, dígitos, - o _, empezando con letra."))],
        help_text=_("El mismo en GeoPackage, OGC API, teselas y listas --capas (p. ej. humedales-budi)."),
    )
    titulo = forms.CharField(label=_("Título"), max_length=200)
    categoria = forms.ChoiceField(label=_("Categoría"), choices=categorias.opciones)
    srid = forms.IntegerField(
        label=_("SRID (EPSG)"),
        required=False,
        min_value=1,
        help_text=_("Solo si el archivo no declara su sistema de coordenadas o lo declara mal."),
    )
    capa = forms.CharField(label=_("Capa del GeoPackage/KML"), max_length=200, required=False)
    reparar = forms.BooleanField(label=_("Reparar geometrías inválidas (MakeValid)"), required=False)
    confirmar_fuera = forms.BooleanField(label=_("Importar aunque no toque la comuna"), required=False)
    publica = forms.BooleanField(label=_("Pública (legible sin sesión)"), required=False)
    descripcion = forms.CharField(
        label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean_archivo(self):
        """Acepta solo extensiones permitidas y tamaños bajo el límite."""
        archivo = self.cleaned_data["archivo"]
        if Path(archivo.name).suffix.lower() not in EXTENSIONES:
            raise forms.ValidationError(
                _("Formato no aceptado: suba .zip (Shapefile), .gpkg, .geojson, .kml, .kmz, .csv o .tif.")
            )
        if archivo.size > LIMITES.archivo:
            raise forms.ValidationError(
                _("El archivo supera el máximo de %(mib)d MiB.") % {"mib": LIMITES.archivo // MIB}
            )
        return archivo

    @cached_property
    def es_raster(self) -> bool:
        """Indica si el archivo subido es un ráster (GeoTIFF, suelto o en un zip)."""
        archivo = self.cleaned_data["archivo"]
        return anuncia_raster(archivo.name, archivo)
