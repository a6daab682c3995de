"""Permisos de la API: el rol decide (permisos de modelo de Django), también para leer."""

from rest_framework.permissions import DjangoModelPermissions


class PermisosDeRol(DjangoModelPermissions):
    """Exige ``view_*`` para leer y ``add/change/delete_*`` para escribir (Consulta solo lee)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class PermisoDeFlujo(PermisosDeRol):
    """Exige solo ``view_*`` también para POST: el paso del flujo lo autoriza su servicio por rol."""

    perms_map = {**PermisosDeRol.perms_map, "POST": ["%(app_label)s.view_%(model_name)s"]}
