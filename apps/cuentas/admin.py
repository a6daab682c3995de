"""Usuarios en el admin: el rol decide el acceso, sin casillas sueltas de staff, grupos ni permisos.

Las altas y los cambios de rol se hacen en /cuentas/ (apps.cuentas.services): ahí se deriva is_staff.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html

from apps.nucleo.formatos import fecha_hora
from apps.nucleo.roles import ROLES_CON_ADMIN, rol_de

Usuario = get_user_model()


class CuentaAdmin(UserAdmin):
    """Cuentas en solo lectura de rol: datos personales y estado; el rol, en Cuentas y roles."""

    list_display = ("username", "nombre", "email", "rol", "is_active", "ultimo_ingreso")
    list_filter = ("is_active", "groups")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Datos personales", {"fields": ("first_name", "last_name", "email")}),
        ("Rol y acceso", {"fields": ("rol", "acceso_admin", "is_active")}),
        ("Fechas", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("rol", "acceso_admin", "last_login", "date_joined")

    def has_add_permission(self, request):
        """Las cuentas nuevas se crean en /cuentas/nueva/ (con su rol en el mismo formulario)."""
        return False

    @admin.display(description="nombre")
    def nombre(self, cuenta):
        """Devuelve el nombre completo."""
        return cuenta.get_full_name() or "—"

    @admin.display(description="rol")
    def rol(self, cuenta):
        """Devuelve el rol con el enlace para cambiarlo."""
        url = reverse("cuentas:editar", args=[cuenta.pk])
        return format_html(
            '{} · <a href="{}">cambiar en Cuentas y roles</a>', rol_de(cuenta) or "sin rol", url
        )

    @admin.display(description="administración de datos")
    def acceso_admin(self, cuenta):
        """Explica el acceso al admin, que sale del rol y no de una casilla."""
        if cuenta.is_superuser:
            return "Sí: superusuario (creado al instalar)."
        roles = " y ".join(ROLES_CON_ADMIN)
        return f"{'Sí' if cuenta.is_staff else 'No'}: lo da el rol ({roles} entran; Consulta no)."

    @admin.display(description="último ingreso", ordering="last_login")
    def ultimo_ingreso(self, cuenta):
        """Devuelve el último ingreso en dd-mm-aaaa hh:mm."""
        return fecha_hora(cuenta.last_login) if cuenta.last_login else "nunca"


admin.site.unregister(Usuario)
admin.site.register(Usuario, CuentaAdmin)
