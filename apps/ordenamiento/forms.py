"""Formulario de una propuesta de uso de suelo con su polígono dibujado en el mapa."""

from django import forms

from apps.nucleo.forms import CampoGeoJSON, FormularioConMapa
from apps.ordenamiento.models import PropuestaUsoSuelo


class PropuestaFormulario(FormularioConMapa):
    """Crea o edita una propuesta (el estado lo lleva su flujo de aprobación, no este formulario)."""

    titulo_nuevo = "Nueva propuesta de uso de suelo"
    herramientas = ("poligono",)
    geom = CampoGeoJSON(
        label="Polígono",
        tipos=("MultiPolygon",),
        multi=True,
        help_text="Dibuje el área de la propuesta; puede tener varias partes.",
    )

    class Meta:
        model = PropuestaUsoSuelo
        fields = ["nombre", "uso_propuesto", "justificacion", "geom"]
        help_texts = {
            "uso_propuesto": "Uso de suelo que se propone para el área.",
            "justificacion": "Por qué se propone: necesidad, antecedentes, instrumentos vigentes.",
        }
        widgets = {"justificacion": forms.Textarea(attrs={"rows": 4})}
