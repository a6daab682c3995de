"""Piezas comunes a los modelos de dominio (mezclas abstractas, sin tabla compartida)."""

import pghistory
import pghistory.models
from concurrency.fields import AutoIncVersionField
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _


class Versionado(models.Model):
    """Registro con versión para bloqueo optimista y marcas de tiempo."""

    version = AutoIncVersionField(
        verbose_name=_("versión"), help_text=_("Control de ediciones concurrentes.")
    )
    creado = models.DateTimeField(_("creado"), auto_now_add=True)
    modificado = models.DateTimeField(_("modificado"), auto_now=True)

    class Meta:
        abstract = True


class MarcableDemo(models.Model):
    """Registro que puede pertenecer al conjunto de demostración."""

    es_demo = models.BooleanField(_("dato de demostración"), default=False, db_index=True, editable=False)

    class Meta:
        abstract = True


class Cuenta(get_user_model()):
    """Cuenta de usuario vista por la auditoría (proxy: los triggers quedan en migraciones propias)."""

    class Meta:
        proxy = True
        verbose_name = _("cuenta")
        verbose_name_plural = _("cuentas")


class MembresiaRol(get_user_model().groups.through):
    """Pertenencia de una cuenta a un rol (grupo), vista por la auditoría."""

    class Meta:
        proxy = True
        verbose_name = _("pertenencia a rol")
        verbose_name_plural = _("pertenencias a roles")


# Las cuentas y sus roles también dejan historial (sin la clave ni el último ingreso, que cambian solos).
pghistory.track(
    pghistory.InsertEvent("alta"),
    pghistory.UpdateEvent("cambio"),
    pghistory.DeleteEvent("baja"),
    exclude=["password", "last_login"],
    model_name="CuentaEvento",
)(Cuenta)
pghistory.track(
    pghistory.InsertEvent("alta"),
    pghistory.DeleteEvent("baja"),
    model_name="MembresiaRolEvento",
)(MembresiaRol)


class Historial(pghistory.models.MiddlewareEvents):
    """Historial de cambios de todos los registros, con usuario y URL de la petición."""

    class Meta:
        proxy = True
        verbose_name = _("evento del historial")
        verbose_name_plural = _("historial de cambios")
