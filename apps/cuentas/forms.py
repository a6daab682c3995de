"""Formularios de cuentas: ingreso con el estilo del sitio, cuenta nueva y cambio de rol."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField

from apps.nucleo.roles import CONSULTA, ROLES

ELEGIR_ROL = [(rol, rol) for rol in ROLES]
AYUDA_ROL = (
    "Consulta solo lee. Planificador edita los registros y envía las propuestas a revisión. Director "
    "lee todo y lleva las propuestas revisadas al Concejo (devuelve, presenta y registra la decisión). "
    "Administrador puede todo, incluidas las cuentas."
)
CLAVE = "clave"
INVITAR = "invitar"


class FormularioIngreso(AuthenticationForm):
    """Ingreso al sitio y al admin (la misma página, las mismas palabras)."""

    username = UsernameField(
        label="Usuario",
        widget=forms.TextInput(
            attrs={"autofocus": True, "class": "form-control", "autocomplete": "username"}
        ),
    )
    password = forms.CharField(
        label="Clave",
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Usuario o clave incorrectos.",
        "inactive": "Esta cuenta está desactivada. Pida a un administrador que la active.",
    }


def _control(widget):
    """Agrega la clase de Bootstrap al control."""
    widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")
    return widget


class FormularioCuentaNueva(forms.Form):
    """Cuenta nueva en un solo formulario: datos, rol y clave inicial o invitación."""

    nombre = forms.CharField(label="Nombre", max_length=150)
    apellido = forms.CharField(label="Apellido", max_length=150, required=False)
    usuario = forms.RegexField(
        label="Usuario",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "Use solo letras, números y . @ + - _ (sin espacios)."},
    )
    correo = forms.EmailField(label="Correo", required=False)
    # Por omisión el rol de menos privilegios: dar más es una decisión explícita.
    rol = forms.ChoiceField(label="Rol", choices=ELEGIR_ROL, initial=CONSULTA, help_text=AYUDA_ROL)
    acceso = forms.ChoiceField(
        label="Primer ingreso",
        choices=[
            (INVITAR, "Enviar invitación (la persona fija su clave)"),
            (CLAVE, "Fijar una clave inicial"),
        ],
        initial=INVITAR,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    clave = forms.CharField(label="Clave inicial", required=False, strip=False, widget=forms.PasswordInput)
    clave_repetida = forms.CharField(
        label="Repita la clave", required=False, strip=False, widget=forms.PasswordInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nombre, campo in self.fields.items():
            if nombre != "acceso":
                _control(campo.widget)

    def clean(self):
        """Exige la clave (dos veces igual) solo si se eligió fijarla."""
        datos = super().clean()
        if datos.get("acceso") == CLAVE:
            if not datos.get("clave"):
                self.add_error("clave", "Escriba la clave inicial o elija enviar una invitación.")
            elif datos.get("clave") != datos.get("clave_repetida"):
                self.add_error("clave_repetida", "Las dos claves no coinciden.")
        return datos


class FormularioCuentaEditar(forms.Form):
    """Rol y estado de una cuenta existente."""

    rol = forms.ChoiceField(
        label="Rol",
        choices=ELEGIR_ROL,
        help_text=AYUDA_ROL,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    activa = forms.BooleanField(
        label="Cuenta activa", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
