"""Crear, editar y eliminar propuestas de uso de suelo fuera del admin (también desde el visor)."""

from apps.nucleo.edicion import Edicion, rutas
from apps.ordenamiento import services
from apps.ordenamiento.forms import PropuestaFormulario
from apps.ordenamiento.models import PropuestaUsoSuelo

PROPUESTA = Edicion(
    modelo=PropuestaUsoSuelo,
    formulario=PropuestaFormulario,
    crear=services.propuesta_crear,
    actualizar=services.propuesta_actualizar,
    eliminar=services.propuesta_eliminar,
    app="ordenamiento",
    prefijo="propuesta_",
    ruta="propuestas/",
    lista="propuestas_lista",
)

urlpatterns = rutas(PROPUESTA)
