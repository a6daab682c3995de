"""Registros guardados cuyo polígono se puede analizar: «?desde=inmueble:12» en la página del análisis.

Se nombran por modelo (``app.Modelo``) y no se importan: el ordenamiento no depende de patrimonio ni
de proyectos. Ver el registro exige poder ver su modelo (403 si no).
"""

from dataclasses import dataclass

from django.apps import apps
from django.http import Http404

from apps.nucleo.permisos import exigir


@dataclass(frozen=True)
class Origen:
    """Entidad con polígono: modelo, campo de la geometría, ficha y cómo se nombra en el título."""

    modelo: str
    ficha: str
    nombre: str
    campo: str = "geom"
    # Campo del uso propuesto que trae el registro (solo las propuestas).
    uso: str = ""


ORIGENES = {
    "propuesta": Origen(
        "ordenamiento.PropuestaUsoSuelo", "ordenamiento:propuesta_ficha", "Propuesta", uso="uso_propuesto"
    ),
    "inmueble": Origen("patrimonio.BienInmueble", "patrimonio:inmueble_ficha", "Bien inmueble"),
    "proyecto": Origen("proyectos.Proyecto", "proyectos:ficha", "Proyecto"),
}
POLIGONALES = ("Polygon", "MultiPolygon")


class OrigenInvalido(Exception):
    """El registro pedido no existe, no es de un tipo conocido o no tiene polígono (mensaje en español)."""


def desde(texto: str, usuario) -> tuple[Origen, object]:
    """Devuelve (origen, registro) de «tipo:pk»; Http404 si no existe, OrigenInvalido sin polígono."""
    tipo, _dos_puntos, pk = (texto or "").partition(":")
    origen = ORIGENES.get(tipo)
    if origen is None or not pk.isdigit() or len(pk) > 18:
        raise Http404("No existe ese registro.")
    modelo = apps.get_model(origen.modelo)
    exigir(usuario, modelo, "view")
    registro = modelo.objects.filter(pk=int(pk)).first()
    if registro is None:
        raise Http404("No existe ese registro.")
    geom = getattr(registro, origen.campo)
    if geom is None or geom.geom_type not in POLIGONALES:
        raise OrigenInvalido(
            f"«{registro}» no tiene un polígono (su geometría es un punto o una línea, o no tiene): "
            "dibuje el área a analizar."
        )
    return origen, registro


def clave(tipo: str, registro) -> str:
    """Devuelve «tipo:pk» (lo que lleva ``?desde=``)."""
    return f"{tipo}:{registro.pk}"
