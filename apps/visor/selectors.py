"""Lecturas del visor: dónde abre el mapa (la comuna configurada) y su SRID métrico."""

from apps.comunas.selectors import comuna_configurada
from capas.mapas.visor import Encuadre
from capas.srid import srid_metrico

# Sin comuna cargada el visor abre sobre Chile continental (y avisa en la página).
EXTENSION_CHILE = (-75.7, -56.0, -66.4, -17.5)


def encuadre_del_visor() -> tuple[Encuadre, object]:
    """Devuelve el encuadre de la comuna configurada (extensión de su límite y SRID métrico) y la comuna."""
    comuna = comuna_configurada()
    if comuna is None:
        centro_lon, centro_lat = -71.0, -36.0
        return Encuadre(EXTENSION_CHILE, srid_metrico(centro_lon, centro_lat)), None
    oeste, sur, este, norte = comuna.limite.extent
    return Encuadre((oeste, sur, este, norte), comuna.srid_metrico, f"Comuna de {comuna.nombre}"), comuna
