"""Crear, editar y eliminar zonas dibujando su polígono (las vistas genéricas de apps.nucleo.edicion)."""

from apps.nucleo.edicion import Edicion, rutas
from apps.ordenamiento.models import Zona
from apps.ordenamiento.zonas import services
from apps.ordenamiento.zonas.forms import ZonaFormulario

ZONA = Edicion(
    modelo=Zona,
    formulario=ZonaFormulario,
    crear=services.zona_crear,
    actualizar=services.zona_actualizar,
    eliminar=services.zona_eliminar,
    app="ordenamiento",
    prefijo="zona_",
    ruta="zonas/",
    lista="zonas_lista",
)

urlpatterns = rutas(ZONA)
