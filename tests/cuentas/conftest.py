"""Fixtures de cuentas: un administrador con su rol (sin superusuario)."""

import pytest

from apps.nucleo.roles import ADMINISTRADOR, usuario_asignar_rol


@pytest.fixture
def administrador(roles, django_user_model):
    """Devuelve una cuenta con rol Administrador (no superusuario: el rol decide)."""
    usuario = django_user_model.objects.create_user(username="jefa", password="clave-de-prueba-1")
    usuario_asignar_rol(usuario=usuario, rol=ADMINISTRADOR)
    return usuario
