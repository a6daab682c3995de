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


# Las cuentas también dejan historial (sin la clave ni el último ingreso, que cambian solos).
pghistory.track(
    pghistory.InsertEvent("alta"),
    pghistory.UpdateEvent("cambio"),
    pghistory.DeleteEvent("baja"),
    exclude=["password", "last_login"],
    app_label="nucleo",
    model_name="UsuarioEvento",
)(get_user_model())


class Historial(pghistory.models.MiddlewareEvents):
    """Historial de cambios de todos los registros, con usuario y URL de la petición."""

    class Meta:
        proxy = True
        verbose_name = _("evento del historial")
        verbose_name_plural = _("historial de cambios")
