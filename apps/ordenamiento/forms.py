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


class TransicionFormulario(forms.Form):
    """Confirma un paso del flujo: la versión leída y lo que pide el paso (observación o acuerdo)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    observacion = forms.CharField(
        label="Observación",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    fecha_sesion = forms.DateField(
        label="Fecha de la sesión del Concejo",
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text="Día de la sesión en que el Concejo votó la propuesta.",
        error_messages={"invalid": "Escriba una fecha válida (dd-mm-aaaa)."},
    )
    numero_acuerdo = forms.CharField(
        label="Número de acuerdo",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text="Como figura en el acta, p. ej. «123/2026».",
    )

    def __init__(self, *args, transicion, **kwargs):
        super().__init__(*args, **kwargs)
        self.transicion = transicion
        if transicion.pide_acuerdo:
            # Obligatorios: el servicio los exige; el asterisco lo dice antes de enviar.
            self.fields["fecha_sesion"].required = True
            self.fields["numero_acuerdo"].required = True
            self.fields["fecha_sesion"].error_messages["required"] = (
                "Indique la fecha de la sesión del Concejo que tomó la decisión."
            )
            self.fields["numero_acuerdo"].error_messages["required"] = (
                "Indique el número del acuerdo del Concejo (p. ej. 123/2026)."
            )
            self.fields["observacion"].help_text = "Opcional: condiciones o votación del Concejo."
        else:
            del self.fields["fecha_sesion"], self.fields["numero_acuerdo"]
        if transicion.pide_observacion:
            self.fields["observacion"].required = True
            self.fields["observacion"].error_messages["required"] = (
                "Explique qué debe corregirse: la observación es obligatoria al devolver."
            )
            self.fields[
                "observacion"
            ].help_text = "Qué debe corregir quien la elaboró; queda en la línea de tiempo."
        elif not transicion.pide_acuerdo:
            self.fields["observacion"].help_text = "Opcional; queda en la línea de tiempo de la propuesta."

    def datos_servicio(self) -> dict:
        """Devuelve lo que recibe el servicio del flujo (sin la versión)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version" and v not in (None, "")}
