"""Páginas de cuentas y roles (solo administradores) y la de fijar la clave de una invitación."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from apps.cuentas import services
from apps.cuentas.forms import CLAVE, FormularioCuentaEditar, FormularioCuentaNueva
from apps.cuentas.selectors import cuentas_con_rol
from apps.nucleo.forms import errores_del_servicio
from apps.nucleo.roles import rol_de


def _url_base(request) -> str:
    """Devuelve el esquema y servidor de la petición, para los enlaces de invitación."""
    return request.build_absolute_uri("/")


def _invitacion(request, cuenta):
    """Genera la invitación y muestra el enlace al administrador."""
    enlace, enviado = services.cuenta_invitar(cuenta=cuenta, actor=request.user, url_base=_url_base(request))
    return render(
        request, "cuentas/invitacion.html", {"cuenta": cuenta, "enlace": enlace, "enviado": enviado}
    )


@permission_required("auth.add_user", raise_exception=True)
def lista(request):
    """Lista las cuentas con su rol, estado y último ingreso."""
    return render(request, "cuentas/lista.html", {"cuentas": cuentas_con_rol()})


@permission_required("auth.add_user", raise_exception=True)
def nueva(request):
    """Crea una cuenta con su rol y clave inicial, o la invita a fijar su clave."""
    formulario = FormularioCuentaNueva(request.POST or None)
    if request.method == "POST" and formulario.is_valid():
        d = formulario.cleaned_data
        datos = services.DatosCuenta(
            nombre=d["nombre"], apellido=d["apellido"], usuario=d["usuario"], correo=d["correo"], rol=d["rol"]
        )
        clave = d["clave"] if d["acceso"] == CLAVE else None
        try:
            cuenta = services.cuenta_crear(datos=datos, clave=clave, actor=request.user)
        except ValidationError as error:
            errores_del_servicio(formulario, error)
        else:
            if clave:
                messages.success(request, f"Cuenta «{cuenta.username}» creada con rol {d['rol']}.")
                return redirect("cuentas:lista")
            return _invitacion(request, cuenta)
    return render(request, "cuentas/nueva.html", {"formulario": formulario})


@permission_required("auth.change_user", raise_exception=True)
def editar(request, pk: int):
    """Cambia el rol de una cuenta y la activa o desactiva."""
    cuenta = get_object_or_404(get_user_model(), pk=pk)
    inicial = {"rol": rol_de(cuenta), "activa": cuenta.is_active}
    formulario = FormularioCuentaEditar(request.POST or None, initial=inicial)
    if request.method == "POST" and formulario.is_valid():
        d = formulario.cleaned_data
        try:
            if d["rol"] != inicial["rol"]:
                services.cuenta_cambiar_rol(cuenta=cuenta, rol=d["rol"], actor=request.user)
            if d["activa"] and not cuenta.is_active:
                services.cuenta_activar(cuenta=cuenta, actor=request.user)
            elif not d["activa"] and cuenta.is_active:
                services.cuenta_desactivar(cuenta=cuenta, actor=request.user)
        except ValidationError as error:
            errores_del_servicio(formulario, error)
        else:
            messages.success(request, f"Cuenta «{cuenta.username}» actualizada.")
            return redirect("cuentas:lista")
    return render(request, "cuentas/editar.html", {"cuenta": cuenta, "formulario": formulario})


@require_POST
@permission_required("auth.change_user", raise_exception=True)
def invitar(request, pk: int):
    """Genera un enlace nuevo para fijar la clave (invitación o clave olvidada)."""
    cuenta = get_object_or_404(get_user_model(), pk=pk)
    try:
        return _invitacion(request, cuenta)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cuentas:editar", pk=cuenta.pk)


class FormularioFijarClave(SetPasswordForm):
    """Fijar la clave con las palabras del sitio («clave», no «contraseña»)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Clave nueva"
        self.fields["new_password2"].label = "Repita la clave"
        for campo in self.fields.values():
            campo.widget.attrs["class"] = "form-control"
        self.error_messages["password_mismatch"] = "Las dos claves no coinciden."


class FijarClave(auth_views.PasswordResetConfirmView):
    """Fija la clave desde el enlace de un solo uso de la invitación."""

    form_class = FormularioFijarClave
    template_name = "registration/fijar_clave.html"
    success_url = reverse_lazy("cuentas:clave_fijada")
    post_reset_login = False


class ClaveFijada(auth_views.PasswordResetCompleteView):
    """Confirma que la clave quedó fijada e invita a ingresar."""

    template_name = "registration/clave_fijada.html"
