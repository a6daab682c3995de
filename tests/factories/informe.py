"""Escenario del informe de superposición con respuesta calculada a mano (en el UTM de la comuna).

Polígono analizado: 200 × 100 m (20.000 m², 2 ha) con esquina suroeste en (x, y), cerca del pueblo.
- Zona ZU-1 cubre su mitad oeste (10.000 m², 50 %): residencial permitido, equipamiento permitido.
- Zona ZR-2 cubre su mitad este (10.000 m², 50 %): residencial condicionado; equipamiento sin fila.
- Humedal «Humedal Los Patos»: x+150..x+250 × y..y+50 → dentro 50 × 50 = 2.500 m² (12,5 %).
- Inundación, dos capas que se superponen: A = x..x+80 × y+60..y+140 (dentro 80 × 40 = 3.200 m²),
  B = x+40..x+120 × y+60..y+140 (dentro 80 × 40 = 3.200 m²); unión dentro: 120 × 40 = 4.800 m² (24 %).
- Área protegida a 300 m al este (x+500): no toca; la más cercana a 300 m.
"""

from django.contrib.gis.geos import Point

from apps.ordenamiento.models import UsoZona, Zona
from capas.srid import reproyectar
from tests.factories import CENTRO
from tests.factories.restricciones import capa_con, en_almacenamiento, rectangulo_utm

AREA_M2 = 20_000.0


def origen_utm(comuna) -> tuple[int, int, int]:
    """Devuelve (x, y, srid) redondeados de un punto del pueblo en el UTM de la comuna."""
    punto = reproyectar(Point(*CENTRO, srid=4326), comuna.srid_metrico)
    return round(punto.x), round(punto.y), comuna.srid_metrico


def zona_con(comuna, codigo: str, nombre: str, poligono, usos: dict[str, str]) -> Zona:
    """Crea una zona del PRC de prueba con su polígono métrico y la condición de cada uso."""
    zona = Zona.objects.create(
        comuna=comuna,
        instrumento="prc",
        nombre_instrumento="PRC Teodoro Schmidt (prueba)",
        codigo=codigo,
        nombre=nombre,
        geom=en_almacenamiento(poligono),
    )
    UsoZona.objects.bulk_create(UsoZona(zona=zona, uso=uso, condicion=c) for uso, c in usos.items())
    return zona


def escenario_informe(comuna):
    """Crea zonas y capas del escenario y devuelve el polígono analizado (MultiPolygon 4326)."""
    x, y, srid = origen_utm(comuna)

    def r(dx, dy, ancho, alto):
        return rectangulo_utm(x + dx, y + dy, ancho, alto, srid=srid)

    zona_con(
        comuna,
        "ZU-1",
        "Zona urbana central",
        r(-100, -100, 200, 300),
        {"residencial": "permitido", "equipamiento": "permitido"},
    )
    zona_con(
        comuna, "ZR-2", "Zona residencial ribereña", r(100, -100, 300, 300), {"residencial": "condicionado"}
    )
    capa_con("humedales-prueba", "humedal", [r(150, 0, 100, 50)], etiqueta="Humedal Los Patos")
    capa_con("inundacion-a", "inundacion", [r(0, 60, 80, 80)])
    capa_con("inundacion-b", "inundacion", [r(40, 60, 80, 80)])
    capa_con("snaspe-prueba", "area_protegida", [r(500, 0, 50, 50)], etiqueta="Reserva El Peral")
    return en_almacenamiento(r(0, 0, 200, 100))
