"""Piezas comunes de los formularios con mapa: geometría en GeoJSON, RUT, decimales es-CL y versión."""

import json
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPoint, MultiPolygon
from django.core.exceptions import ValidationError

from apps.nucleo import formatos
from apps.nucleo.historial import valor_legible
from apps.nucleo.rut import normalizar_rut
from capas.geometria import validar_geometria

# Nombres de los tipos GEOS como los lee quien dibuja.
NOMBRES_TIPO = {
    "Point": "un punto",
    "MultiPoint": "varios puntos",
    "LineString": "una línea",
    "MultiLineString": "varias líneas",
    "Polygon": "un polígono",
    "MultiPolygon": "varios polígonos",
}
_RE_LUGAR = re.compile(r"\[(?P<x>-?[\d.eE+-]+) (?P<y>-?[\d.eE+-]+)\]")


def errores_del_servicio(formulario, error: ValidationError) -> None:
    """Pone los errores de un servicio en el formulario: en su campo si es uno del formulario."""
    if hasattr(error, "error_dict"):
        for campo, lista in error.error_dict.items():
            formulario.add_error(campo if campo in formulario.fields else None, lista)
    else:
        formulario.add_error(None, error)


class CampoGeoJSON(forms.Field):
    """Geometría dibujada en el mapa, que el JS deja como GeoJSON (EPSG:4326) en un campo oculto."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": "Dibuje la geometría en el mapa.",
        "invalid": "El dibujo no es una geometría válida: vuelva a dibujarla.",
    }

    def __init__(self, *, tipos: tuple[str, ...], multi: bool = False, **kwargs):
        self.tipos = tipos
        self.multi = multi
        super().__init__(**kwargs)

    def to_python(self, value):
        """Devuelve la geometría GEOS (EPSG:4326) del GeoJSON, del tipo que admite la entidad."""
        if isinstance(value, GEOSGeometry) or value in self.empty_values:
            return value or None
        try:
            datos = json.loads(value)
            if datos.get("type") == "Feature":
                datos = datos.get("geometry")
            if not datos:
                return None
            geom = GEOSGeometry(json.dumps(datos), srid=4326)
        except (ValueError, TypeError, AttributeError, RecursionError, GEOSException, GDALException):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if self.multi and geom.geom_type == "Polygon":
            geom = MultiPolygon(geom, srid=4326)
        if self.multi and geom.geom_type == "Point":
            geom = MultiPoint(geom, srid=4326)
        if geom.geom_type not in self.tipos:
            simples = dict.fromkeys(t.removeprefix("Multi") for t in self.tipos)
            admitidos = ", ".join(NOMBRES_TIPO.get(t, t) for t in simples).rsplit(", ", 1)
            raise ValidationError(
                f"Aquí se dibuja {' o '.join(admitidos)}, "
                f"no {NOMBRES_TIPO.get(geom.geom_type, geom.geom_type)}.",
                code="tipo",
            )
        return geom

    def prepare_value(self, value):
        """Devuelve el GeoJSON que lee el mapa (lo escrito tal cual, si no se pudo leer)."""
        if isinstance(value, GEOSGeometry):
            return value.geojson if value.srid in (None, 4326) else value.transform(4326, clone=True).geojson
        return value or ""

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != (data or "")


class CampoRUT(forms.CharField):
    """RUT con dígito verificador: acepta «76086428-5» o «76.086.428-5» y lo deja formateado."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("help_text", "Con dígito verificador, p. ej. 76.123.456-0.")
        atributos = {"autocomplete": "off", "placeholder": "12.345.678-5"}
        kwargs.setdefault("widget", forms.TextInput(attrs=atributos))
        super().__init__(**kwargs)

    def to_python(self, value):
        texto = super().to_python(value)
        return normalizar_rut(texto) if texto else texto


class CampoDecimal(forms.DecimalField):
    """Número decimal como se escribe en Chile: «1.234,5» (punto de miles, coma decimal)."""

    default_error_messages = {"invalid": "Escriba un número, con coma decimal (p. ej. 1.234,5)."}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            texto = value.strip().replace(" ", "").replace(".", "").replace(",", ".")
            try:
                return Decimal(texto)
            except InvalidOperation:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
            return formatos.numero(value, 2).rstrip("0").rstrip(",")
        return value


class FormularioConMapa(forms.ModelForm):
    """ModelForm de una entidad con geometría: versión oculta, geometría validada y comparación.

    La subclase declara ``campo_geometria`` (el CampoGeoJSON) y ``Meta.fields``; los datos que van
    al servicio son exactamente esos campos.
    """

    campo_geometria = "geom"
    herramientas: tuple[str, ...] = ("poligono",)
    ajustar_a: tuple = ()  # (modelo, campo) de otras entidades a las que se ajusta el dibujo
    titulo_nuevo = ""
    version = forms.IntegerField(
        label="Versión",
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": "la versión del registro no es válida: vuelva a abrirlo para editarlo."},
    )

    def __init__(self, *args, usuario=None, **kwargs):
        self.usuario = usuario
        super().__init__(*args, **kwargs)
        self.lugar_error = None
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for campo in self.fields.values():
            clase = "form-select" if isinstance(campo.widget, forms.Select) else "form-control"
            if isinstance(campo.widget, forms.CheckboxInput):
                clase = "form-check-input"
            campo.widget.attrs.setdefault("class", clase)

    def titulo(self, instancia) -> str:
        """Devuelve el título de la página («Nuevo proyecto», «Editar «X»»)."""
        nombre = self._meta.model._meta.verbose_name
        return f"Editar {nombre} «{instancia}»" if instancia else self.titulo_nuevo or f"Nuevo: {nombre}"

    def campos_servicio(self) -> list[str]:
        """Devuelve los campos que recibe el servicio (los de ``Meta.fields``)."""
        return list(self._meta.fields)

    def clean(self):
        """Valida la geometría (motivo y lugar si es inválida); la comuna la verifica el servicio."""
        datos = super().clean()
        campo = self.campo_geometria
        geom = datos.get(campo)
        if isinstance(geom, GEOSGeometry):
            try:
                datos[campo] = validar_geometria(geom, campo=campo)
            except ValidationError as error:
                lugar = _RE_LUGAR.search(geom.valid_reason or "") if not geom.valid else None
                if lugar:
                    self.lugar_error = (float(lugar["x"]), float(lugar["y"]))
                self.add_error(campo, error.message_dict.get(campo, error.messages))
        return datos

    def comparar(self, actual) -> list[dict]:
        """Devuelve, campo por campo, el valor actual guardado frente al que escribió el usuario."""
        filas = []
        for nombre in self.campos_servicio():
            campo = self.fields[nombre]
            suyo = self.cleaned_data.get(nombre)
            guardado = getattr(actual, nombre)
            texto_actual, texto_suyo = _legible(actual, nombre, guardado), _legible(actual, nombre, suyo)
            filas.append(
                {
                    "campo": str(campo.label or nombre),
                    "actual": texto_actual,
                    "suyo": texto_suyo,
                    "distinto": texto_actual != texto_suyo,
                }
            )
        return filas


def _legible(instancia, nombre: str, valor) -> str:
    """Devuelve el valor como lo escribe una persona: el del historial, y la geometría resumida."""
    if isinstance(valor, GEOSGeometry):
        return _geometria_legible(valor)
    return valor_legible(instancia._meta.get_field(nombre), valor)


def _geometria_legible(geom: GEOSGeometry) -> str:
    """Resume una geometría: tipo, y área o longitud en metros (en la proyección métrica del lugar)."""
    from capas.srid import reproyectar, srid_metrico_de

    metrica = reproyectar(geom, srid_metrico_de(geom))
    nombre_tipo = geom.geom_type.removeprefix("Multi") if geom.num_geom == 1 else geom.geom_type
    tipo = NOMBRES_TIPO.get(nombre_tipo, nombre_tipo).removeprefix("un ").removeprefix("una ").capitalize()
    if geom.dims == 2:
        return f"{tipo}, {formatos.superficie(metrica.area)}"
    if geom.dims == 1:
        return f"{tipo}, {formatos.longitud(metrica.length)}"
    return f"{tipo} en lon {geom.centroid.x:.5f}, lat {geom.centroid.y:.5f}"
