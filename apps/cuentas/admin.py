"""Usuarios en el admin: el rol decide el acceso, sin casillas sueltas de staff, grupos ni permisos.

Las altas y los cambios de rol se hacen en /cuentas/ (apps.cuentas.services): ahí se deriva is_staff.
"""

from collections import defaultdict

import pghistory.models
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

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
        return f"{'Sí' if cuenta.is_staff else 'No'}: lo da el rol ({roles} entran; Director y Consulta no)."

    @admin.display(description="último ingreso", ordering="last_login")
    def ultimo_ingreso(self, cuenta):
        """Devuelve el último ingreso en dd-mm-aaaa hh:mm."""
        return fecha_hora(cuenta.last_login) if cuenta.last_login else "nunca"


# Los nombres de permisos de Django se guardan en inglés («Can add …»): se muestran por acción.
ACCIONES = {
    "view": "ver",
    "add": "crear",
    "change": "modificar",
    "delete": "eliminar",
    # Pasos del flujo de las propuestas (PropuestaUsoSuelo.Meta.permissions).
    "enviar": "enviar a revisión",
    "devolver": "devolver a borrador",
    "presentar": "presentar al Concejo",
    "decidir": "registrar la decisión del Concejo",
}
HISTORIAL = "Historial de cambios (eventos)"


class RolAdmin(admin.ModelAdmin):
    """Roles en solo lectura: los define apps/nucleo/roles.py y los aplica roles_sincronizar."""

    list_display = ("name", "cuentas")
    fields = ("name", "permisos")
    readonly_fields = fields

    def get_queryset(self, request):
        """Cuenta las cuentas de cada rol."""
        return super().get_queryset(request).annotate(n_cuentas=Count("user"))

    def has_add_permission(self, request):
        """Los roles vienen del código, no se crean a mano."""
        return False

    def has_change_permission(self, request, obj=None):
        """roles_sincronizar reescribiría cualquier cambio hecho aquí."""
        return False

    def has_delete_permission(self, request, obj=None):
        """Un rol borrado volvería con roles_sincronizar."""
        return False

    @admin.display(description="cuentas", ordering="n_cuentas")
    def cuentas(self, grupo):
        """Devuelve cuántas cuentas tienen el rol."""
        return grupo.n_cuentas

    @admin.display(description="qué permite")
    def permisos(self, grupo):
        """Devuelve, por tipo de registro, las acciones permitidas («Proyecto: ver, crear…»)."""
        por_modelo = defaultdict(list)
        for permiso in grupo.permissions.select_related("content_type"):
            accion = permiso.codename.split("_", 1)[0]
            modelo = permiso.content_type.model_class()
            if accion not in ACCIONES or modelo is None:
                continue
            # Las tablas de eventos (pghistory) se resumen en una sola línea.
            es_historial = issubclass(modelo, pghistory.models.Event) or modelo._meta.app_label == "pghistory"
            nombre = HISTORIAL if es_historial else str(modelo._meta.verbose_name).capitalize()
            if accion not in por_modelo[nombre]:
                por_modelo[nombre].append(accion)
        filas = [
            (nombre, ", ".join(ACCIONES[a] for a in ACCIONES if a in acciones))
            for nombre, acciones in sorted(por_modelo.items())
        ]
        return format_html_join("", "<div><b>{}</b>: {}</div>", filas) or "—"


admin.site.unregister(Usuario)
admin.site.register(Usuario, CuentaAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RolAdmin)
