"""Escrituras de cuentas: alta con rol, invitación, cambio de rol y activación, con auditoría."""

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.nucleo.auditoria import contexto_auditoria
from apps.nucleo.roles import ADMINISTRADOR, ROLES, usuario_asignar_rol

logger = logging.getLogger(__name__)
ORIGEN = "cuentas"


@dataclass(frozen=True)
class DatosCuenta:
    """Datos de una cuenta nueva tal como los escribe el administrador."""

    nombre: str
    apellido: str
    usuario: str
    correo: str
    rol: str


def _validar_rol(rol: str) -> None:
    """Rechaza un rol que no es de Territorio."""
    if rol not in ROLES:
        raise ValidationError({"rol": f"Elija uno de los roles: {', '.join(ROLES)}."})


@transaction.atomic
def cuenta_crear(*, datos: DatosCuenta, clave: str | None, actor):
    """Crea una cuenta con su rol; sin ``clave`` queda sin clave usable hasta fijarla por invitación."""
    _validar_rol(datos.rol)
    modelo = get_user_model()
    if modelo.objects.filter(username__iexact=datos.usuario).exists():
        raise ValidationError({"usuario": "Ya existe una cuenta con ese nombre de usuario."})
    cuenta = modelo(
        username=datos.usuario,
        first_name=datos.nombre,
        last_name=datos.apellido,
        email=datos.correo,
    )
    if clave:
        try:
            validate_password(clave, user=cuenta)
        except ValidationError as error:
            raise ValidationError({"clave": error.messages}) from error
        cuenta.set_password(clave)
    else:
        cuenta.set_unusable_password()
    with contexto_auditoria(actor=actor, origen=ORIGEN):
        cuenta.save()
        usuario_asignar_rol(usuario=cuenta, rol=datos.rol)
    logger.info("Cuenta %s creada con rol %s por %s", cuenta.username, datos.rol, actor)
    return cuenta


def enlace_fijar_clave(cuenta, *, url_base: str) -> str:
    """Devuelve el enlace de un solo uso para fijar la clave (vale hasta que la clave cambie)."""
    uid = urlsafe_base64_encode(force_bytes(cuenta.pk))
    token = default_token_generator.make_token(cuenta)
    ruta = reverse("cuentas:fijar_clave", kwargs={"uidb64": uid, "token": token})
    return url_base.rstrip("/") + ruta


def correo_activo() -> bool:
    """Indica si hay un servidor de correo configurado (o el buzón en memoria de las pruebas)."""
    return not settings.EMAIL_BACKEND.endswith("dummy.EmailBackend")


def cuenta_invitar(*, cuenta, actor, url_base: str) -> tuple[str, bool]:
    """Genera la invitación a fijar la clave; devuelve (enlace, si se envió por correo).

    El enlace se muestra al administrador para entregarlo; además se envía si hay correo configurado.
    """
    _exigir_sobre(cuenta, actor)
    if not cuenta.is_active:
        raise ValidationError("La cuenta está desactivada: actívela antes de invitar.")
    enlace = enlace_fijar_clave(cuenta, url_base=url_base)
    enviado = False
    if cuenta.email and correo_activo():
        try:
            send_mail(
                "Invitación a Territorio",
                f"Hola {cuenta.get_full_name() or cuenta.username}:\n\n"
                f"Se creó su cuenta «{cuenta.username}» en Territorio (SECPLAC). Para fijar su clave abra "
                f"este enlace, que sirve una sola vez:\n\n{enlace}\n",
                None,
                [cuenta.email],
            )
            enviado = True
        except (smtplib.SMTPException, OSError) as error:
            # El enlace igual se muestra al administrador: un correo caído no impide invitar.
            logger.warning("No se pudo enviar la invitación de %s: %s", cuenta.username, error)
    logger.info("Invitación para %s generada por %s (correo: %s)", cuenta.username, actor, enviado)
    return enlace, enviado


def _exigir_sobre(cuenta, actor) -> None:
    """Una cuenta de superusuario solo la cambia otro superusuario (un Administrador no la toma)."""
    if cuenta.is_superuser and not getattr(actor, "is_superuser", False):
        raise ValidationError("Es una cuenta de superusuario: solo otro superusuario puede cambiarla.")


def _administradores_activos():
    """Devuelve las cuentas activas con rol Administrador."""
    return get_user_model().objects.filter(is_active=True, groups__name=ADMINISTRADOR)


def _es_ultimo_administrador(cuenta) -> bool:
    """Indica si la cuenta es el único Administrador activo (bloquea sus filas: dos cambios a la vez
    no dejan a la comuna sin administrador)."""
    admins = list(_administradores_activos().select_for_update().values_list("pk", flat=True))
    return admins == [cuenta.pk]


@transaction.atomic
def cuenta_cambiar_rol(*, cuenta, rol: str, actor) -> None:
    """Cambia el rol de la cuenta; el último Administrador activo no puede perderlo."""
    _validar_rol(rol)
    _exigir_sobre(cuenta, actor)
    if rol != ADMINISTRADOR and _es_ultimo_administrador(cuenta):
        raise ValidationError(
            {"rol": "Es el último Administrador activo: asigne antes el rol a otra cuenta."}
        )
    with contexto_auditoria(actor=actor, origen=ORIGEN):
        usuario_asignar_rol(usuario=cuenta, rol=rol)
    logger.info("Rol de %s cambiado a %s por %s", cuenta.username, rol, actor)


@transaction.atomic
def cuenta_desactivar(*, cuenta, actor) -> None:
    """Desactiva la cuenta (no entra más); nadie se desactiva a sí mismo ni al último Administrador."""
    _exigir_sobre(cuenta, actor)
    if actor is not None and cuenta.pk == actor.pk:
        raise ValidationError({"activa": "No puede desactivar su propia cuenta."})
    if _es_ultimo_administrador(cuenta):
        raise ValidationError({"activa": "Es el último Administrador activo: no se puede desactivar."})
    with contexto_auditoria(actor=actor, origen=ORIGEN):
        cuenta.is_active = False
        cuenta.save(update_fields=["is_active"])
    logger.info("Cuenta %s desactivada por %s", cuenta.username, actor)


@transaction.atomic
def cuenta_activar(*, cuenta, actor) -> None:
    """Vuelve a activar la cuenta."""
    _exigir_sobre(cuenta, actor)
    with contexto_auditoria(actor=actor, origen=ORIGEN):
        cuenta.is_active = True
        cuenta.save(update_fields=["is_active"])
    logger.info("Cuenta %s activada por %s", cuenta.username, actor)
