from django.apps import AppConfig


class CapasPruebaConfig(AppConfig):
    """App de prueba con una capa en modo teselas."""

    name = "tests.visor.capas_prueba"
    label = "capas_prueba"
