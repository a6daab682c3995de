"""Crear, editar y eliminar inmuebles, activos y concesiones fuera del admin."""

from apps.nucleo.edicion import Edicion, rutas
from apps.patrimonio import services
from apps.patrimonio.forms import ActivoFormulario, BienInmuebleFormulario, ConcesionFormulario
from apps.patrimonio.models import Activo, BienInmueble, Concesion

INMUEBLE = Edicion(
    modelo=BienInmueble,
    formulario=BienInmuebleFormulario,
    crear=services.bien_inmueble_crear,
    actualizar=services.bien_inmueble_actualizar,
    eliminar=services.bien_inmueble_eliminar,
    app="patrimonio",
    prefijo="inmueble_",
    ruta="inmuebles/",
    lista="inmuebles_lista",
)
ACTIVO = Edicion(
    modelo=Activo,
    formulario=ActivoFormulario,
    crear=services.activo_crear,
    actualizar=services.activo_actualizar,
    eliminar=services.activo_eliminar,
    app="patrimonio",
    prefijo="activo_",
    ruta="activos/",
    lista="activos_lista",
)
CONCESION = Edicion(
    modelo=Concesion,
    formulario=ConcesionFormulario,
    crear=services.concesion_crear,
    actualizar=services.concesion_actualizar,
    eliminar=services.concesion_eliminar,
    app="patrimonio",
    prefijo="concesion_",
    ruta="concesiones/",
    lista="concesiones_lista",
)

urlpatterns = rutas(INMUEBLE) + rutas(ACTIVO) + rutas(CONCESION)
