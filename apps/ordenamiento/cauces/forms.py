"""Formulario de la franja de protección de cauces: valida la entrada antes de encolar el trabajo."""

from django import forms
from django.core.validators import RegexValidator

from apps.nucleo.formatos import plural
from apps.ordenamiento.cauces.services import (
    ANCHO_MAX_M,
    ANCHO_MIN_M,
    TIPOS_ORIGEN,
    PeticionFranja,
    ancho_por_omision,
    capas_de_cauces,
)
from capas.importacion.informe import ImportacionRechazada
from capas.importacion.validacion import validar_nombre
from capas.registro import RE_NOMBRE


class CampoCapaOrigen(forms.ModelChoiceField):
    """Capa de referencia de líneas o polígonos, elegida por su identificador."""

    def label_from_instance(self, obj):
        """Devuelve «Título (identificador): N líneas»."""
        cuantos = plural(obj.n_elementos, "elemento,elementos")
        return f"{obj.titulo} ({obj.nombre}): {cuantos}, {TIPOS_ORIGEN[obj.tipo_geometria]}"


class FormularioFranjaCauces(forms.Form):
    """Capa de ríos, ancho e identidad de la capa «cauces» a crear."""

    origen = CampoCapaOrigen(
        queryset=capas_de_cauces(),
        to_field_name="nombre",
        label="Capa de ríos y esteros",
        help_text="Capa de referencia importada con los ejes de los cauces (líneas) o sus polígonos.",
        empty_label="— elija una capa —",
        error_messages={"invalid_choice": "Elija una capa de referencia de líneas o polígonos de la lista."},
    )
    ancho_m = forms.FloatField(
        label="Ancho (m)",
        min_value=ANCHO_MIN_M,
        max_value=ANCHO_MAX_M,
        help_text=(
            f"A cada lado del eje del cauce (o del borde del polígono), entre {ANCHO_MIN_M:g} y "
            f"{ANCHO_MAX_M:g} m; se mide en el sistema UTM de la comuna."
        ),
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )
    nombre = forms.CharField(
        label="Identificador",
        max_length=63,
        validators=[RegexValidator(RE_NOMBRE, "Minúsculas, dígitos, - o _, empezando con letra.")],
        help_text="El de la capa nueva en el visor, GeoPackage y OGC API (p. ej. franja-rios).",
    )
    titulo = forms.CharField(
        label="Título",
        max_length=200,
        required=False,
        help_text="Si lo deja vacío: «Franja de cauces de <ancho> m — <capa de origen>».",
    )
    disolver = forms.BooleanField(
        label="Disolver en un solo elemento",
        required=False,
        help_text="Une las franjas que se tocan; sin marcar queda una por cauce, con sus atributos.",
    )
    publica = forms.BooleanField(label="Pública (legible sin sesión)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ancho_m"].initial = ancho_por_omision()
        for nombre, campo in self.fields.items():
            clase = "form-select" if isinstance(campo.widget, forms.Select) else "form-control"
            if isinstance(campo.widget, forms.CheckboxInput):
                clase = "form-check-input"
            campo.widget.attrs.setdefault("class", clase)
            if campo.help_text:
                campo.widget.attrs.setdefault("aria-describedby", f"id_{nombre}_ayuda")

    def clean_nombre(self):
        """Rechaza temprano un identificador en uso o reservado (el servicio vuelve a verificarlo)."""
        nombre = self.cleaned_data["nombre"]
        try:
            validar_nombre(nombre)
        except ImportacionRechazada as rechazo:
            raise forms.ValidationError(rechazo.mensaje, code=rechazo.codigo)
        return nombre

    def peticion(self) -> PeticionFranja:
        """Devuelve la petición del formulario ya validado."""
        datos = self.cleaned_data
        return PeticionFranja(
            origen=datos["origen"].nombre,
            nombre=datos["nombre"],
            ancho_m=datos["ancho_m"],
            titulo=datos["titulo"],
            disolver=datos["disolver"],
            publica=datos["publica"],
        )
