"""migrate como el dueño de las tablas, con los privilegios de la aplicación y las vistas de QGIS al día."""

from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateDjango
from django.db import DEFAULT_DB_ALIAS

from apps.nucleo.bd.conexiones import conexion_como
from apps.nucleo.bd.privilegios import privilegios_app_otorgar
from apps.nucleo.bd.qgis_vistas import vistas_qgis_suspendidas


class Command(MigrateDjango):
    """Migra con TERRITORIO_DATABASE_URL_MIGRACION (si está) y luego otorga DML al rol de la aplicación."""

    def handle(self, *args, **opciones):
        alias = opciones["database"]
        credenciales = settings.TERRITORIO_BD_MIGRACION if alias == DEFAULT_DB_ALIAS else None
        with conexion_como(credenciales, using=alias):
            if opciones.get("plan") or opciones.get("check_unapplied"):
                # Solo informa: no cambia el esquema, no hay vistas que quitar ni permisos que dar.
                return super().handle(*args, **opciones)
            # Una vista sobre una columna impide cambiarla: las de QGIS se rehacen tras migrar.
            with vistas_qgis_suspendidas(using=alias):
                super().handle(*args, **opciones)
            privilegios_app_otorgar(rol=settings.TERRITORIO_BD_ROL_APP, using=alias)
