"""Fixtures comunes: la comuna real de Teodoro Schmidt (INE 2017) y usuarios por rol."""

import os
from pathlib import Path

import pytest

from apps.comunas.fuentes import limite_desde_archivo
from apps.comunas.services import comuna_cargar
from apps.nucleo.roles import CONSULTA, PLANIFICADOR, roles_sincronizar, usuario_asignar_rol

RAIZ = Path(__file__).resolve().parent.parent
DATOS_REALES = Path(os.environ.get("TERRITORIO_DATOS_REALES", RAIZ.parent / "shared" / "data" / "real"))
COMUNAS_R09 = DATOS_REALES / "ine2017_comunas_r09_araucania.geojson"


def pytest_configure(config):
    """Falla temprano y en español si faltan los datos reales de ../shared."""
    if not COMUNAS_R09.is_file():
        raise pytest.UsageError(
            f"No se encuentran los datos reales en {DATOS_REALES} (defina TERRITORIO_DATOS_REALES)."
        )


@pytest.fixture
def comuna(db):
    """Devuelve Teodoro Schmidt con su límite real del INE 2017 (EPSG:4674), tolerancia 1 km."""
    return comuna_cargar(datos=limite_desde_archivo(COMUNAS_R09, "09117"), tolerancia_m=1000)[0]


@pytest.fixture
def roles(db):
    """Crea los grupos de roles con sus permisos."""
    roles_sincronizar()


def _usuario(django_user_model, nombre, rol):
    usuario = django_user_model.objects.create_user(username=nombre, password="clave-de-prueba-1")
    usuario_asignar_rol(usuario=usuario, rol=rol)
    return usuario


@pytest.fixture
def planificador(roles, django_user_model):
    """Devuelve un usuario con rol Planificador."""
    return _usuario(django_user_model, "planificadora", PLANIFICADOR)


@pytest.fixture
def consulta(roles, django_user_model):
    """Devuelve un usuario con rol Consulta (solo lectura)."""
    return _usuario(django_user_model, "concejal", CONSULTA)
