"""Capas de restricción sintéticas dibujadas en el UTM de la comuna, con áreas calculables a mano."""

from django.contrib.gis.geos import MultiPolygon, Polygon

from capas.geometria import a_multi
from capas.models import CapaReferencia, ElementoReferencia
from capas.srid import reproyectar
from tests.factories import CapaReferenciaFactory


def rectangulo_utm(x: float, y: float, ancho: float, alto: float, *, srid: int) -> Polygon:
    """Devuelve el rectángulo con esquina suroeste (x, y) en el SRID métrico dado."""
    return Polygon(((x, y), (x + ancho, y), (x + ancho, y + alto), (x, y + alto), (x, y)), srid=srid)


def en_almacenamiento(poligono: Polygon) -> MultiPolygon:
    """Devuelve el polígono métrico como MultiPolygon en el SRID de almacenamiento (4326)."""
    return a_multi(reproyectar(poligono, 4326))


def capa_con(nombre: str, categoria: str, poligonos: list[Polygon], *, etiqueta: str = "") -> CapaReferencia:
    """Crea una capa con un elemento por polígono (métrico), cada uno con atributo «nombre»."""
    capa = CapaReferenciaFactory(
        nombre=nombre, categoria=categoria, campos=[{"nombre": "nombre", "tipo": "texto"}]
    )
    ElementoReferencia.objects.bulk_create(
        ElementoReferencia(
            capa=capa,
            fid=fid,
            geom=en_almacenamiento(poligono),
            atributos={"nombre": etiqueta or f"{nombre} {fid}"},
        )
        for fid, poligono in enumerate(poligonos, start=1)
    )
    capa.n_elementos = len(poligonos)
    capa.save(update_fields=["n_elementos"])
    return capa
