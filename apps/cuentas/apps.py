from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CuentasConfig(AppConfig):
    """Configura las páginas de cuentas y roles del administrador (sin modelos propios)."""

    name = "apps.cuentas"
    label = "cuentas"
    verbose_name = _("Cuentas y roles")
