"""Ajustes del servidor de las pruebas del visor: producción más una capa de prueba en modo teselas."""

from territorio.settings.base import *  # noqa: F403
from territorio.settings.base import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.visor.capas_prueba"]
