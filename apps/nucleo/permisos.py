"""Quién puede escribir qué: el rol (grupo con permisos) decide, en páginas y en la API por igual."""

from django.core.exceptions import PermissionDenied


def _permiso(modelo, accion: str) -> str:
    """Devuelve el nombre del permiso de Django («proyectos.change_proyecto»)."""
    opts = modelo._meta
    return f"{opts.app_label}.{accion}_{opts.model_name}"


def puede_ver(usuario, modelo) -> bool:
    """Indica si el usuario puede ver los registros de ``modelo``."""
    return usuario.has_perm(_permiso(modelo, "view"))


def puede_editar(usuario, modelo) -> bool:
    """Indica si el usuario puede crear y modificar registros de ``modelo`` (Consulta: no)."""
    return usuario.has_perm(_permiso(modelo, "add")) and usuario.has_perm(_permiso(modelo, "change"))


def puede_eliminar(usuario, modelo) -> bool:
    """Indica si el usuario puede eliminar registros de ``modelo``."""
    return usuario.has_perm(_permiso(modelo, "delete"))


def exigir(usuario, modelo, accion: str) -> None:
    """Lanza PermissionDenied (403) si el usuario no tiene el permiso ``accion`` sobre ``modelo``."""
    if not usuario.has_perm(_permiso(modelo, accion)):
        raise PermissionDenied("Su rol no permite esta acción.")
