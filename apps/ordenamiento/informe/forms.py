"""Formulario del análisis: el polígono dibujado (o pegado como GeoJSON), el uso y el radio."""

import re

from django import forms
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError

from apps.nucleo import formatos
from apps.nucleo.forms import CampoDecimal, CampoGeoJSON
from apps.ordenamiento.choices import UsoSuelo
from apps.ordenamiento.superposicion import poligono_para_analisis, radio_por_omision

RADIO_MAX_M = 50_000
# Lugar del problema en el motivo de GEOS («Self-intersection[-73.08 -38.99]»).
_RE_LUGAR = re.compile(r"\[(?P<x>-?[\d.eE+-]+) (?P<y>-?[\d.eE+-]+)\]")


class FormularioAnalisis(forms.Form):
    """Polígono a analizar (dibujado o pegado), uso propuesto y radio de cercanía, validados."""

    campo_geometria = "geometria"
    herramientas = ("poligono",)

    geometria = CampoGeoJSON(
        label="Polígono a analizar",
        tipos=("MultiPolygon",),
        multi=True,
        required=False,
        help_text="Dibuje el polígono en el mapa (puede tener varias partes) o pegue su GeoJSON abajo.",
    )
    uso = forms.ChoiceField(
        label="Uso propuesto",
        required=False,
        choices=[("", "— Sin uso (solo lo que toca) —"), *UsoSuelo.choices],
        help_text="Con un uso, el informe dice si cada zona y restricción lo permite.",
    )
    radio_m = CampoDecimal(
        label="Radio de cercanía (m)",
        required=False,
        min_value=0,
        max_value=RADIO_MAX_M,
        help_text="Busca la restricción más cercana de cada categoría hasta esta distancia.",
    )
    pegado = forms.CharField(
        label="O pegue un GeoJSON",
        required=False,
        max_length=2_000_000,
        widget=forms.Textarea(
            attrs={"rows": 3, "spellcheck": "false", "placeholder": '{"type": "Polygon", "coordinates": …}'}
        ),
        help_text="Geometría, Feature o FeatureCollection de un polígono en lon/lat (EPSG:4326).",
    )

    def __init__(self, *args, comuna=None, **kwargs):
        self.comuna = comuna
        super().__init__(*args, **kwargs)
        self.lugar_error = None
        for campo in self.fields.values():
            clase = "form-select" if isinstance(campo.widget, forms.Select) else "form-control"
            campo.widget.attrs.setdefault("class", clase)
        self.fields["pegado"].widget.attrs["class"] += " font-monospace small"
        omision = formatos.numero(radio_por_omision(), 0)
        self.fields["radio_m"].widget.attrs["placeholder"] = f"{omision} (por omisión)"

    def _pegado(self, texto: str):
        """Devuelve la geometría del GeoJSON pegado (de un Feature o una colección de un elemento)."""
        import json

        try:
            datos = json.loads(texto)
        except ValueError:
            raise ValidationError("Lo pegado no es GeoJSON: revise comillas y corchetes.")
        if isinstance(datos, dict) and datos.get("type") == "FeatureCollection":
            rasgos = datos.get("features") or []
            if len(rasgos) != 1:
                raise ValidationError(
                    f"La colección pegada tiene {len(rasgos)} elementos: pegue uno solo (o su geometría)."
                )
            datos = rasgos[0]
        return self.fields["geometria"].clean(json.dumps(datos))

    def clean(self):
        """Toma el dibujo o lo pegado y lo valida para el análisis (motivo y lugar si no sirve)."""
        datos = super().clean()
        geom = datos.get("geometria")
        pegado = (datos.get("pegado") or "").strip()
        if pegado and not self.errors.get("geometria"):
            try:
                geom = self._pegado(pegado)
            except ValidationError as error:
                self.add_error("pegado", error)
                return datos
        if "geometria" in self.errors or "pegado" in self.errors:
            return datos
        if not isinstance(geom, GEOSGeometry):
            self.add_error("geometria", "Dibuje el polígono en el mapa o pegue su GeoJSON.")
            return datos
        if self.comuna is None:
            raise ValidationError("No hay una comuna cargada para analizar.")
        try:
            datos["geometria"] = poligono_para_analisis(geom, comuna=self.comuna, campo="geometria")
        except ValidationError as error:
            lugar = _RE_LUGAR.search(geom.valid_reason or "") if not geom.valid else None
            if lugar:
                self.lugar_error = (float(lugar["x"]), float(lugar["y"]))
            self.add_error("geometria", error.message_dict.get("geometria", error.messages))
        return datos

    @property
    def radio(self) -> float | None:
        """Devuelve el radio pedido en metros (None: el de la configuración)."""
        valor = self.cleaned_data.get("radio_m")
        return None if valor is None else float(valor)
