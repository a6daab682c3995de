"""Crear, editar y eliminar proyectos fuera del admin (vistas genéricas de apps.nucleo.edicion)."""

from apps.nucleo.edicion import Edicion, rutas
from apps.proyectos import services
from apps.proyectos.forms import ProyectoFormulario
from apps.proyectos.models import Proyecto

PROYECTO = Edicion(
    modelo=Proyecto,
    formulario=ProyectoFormulario,
    crear=services.proyecto_crear,
    actualizar=services.proyecto_actualizar,
    eliminar=services.proyecto_eliminar,
    app="proyectos",
)

urlpatterns = rutas(PROYECTO)
