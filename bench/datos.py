"""Genera los datos de los benchmarks (nivel S: una comuna, ~5.000 predios, ~2.000 restricciones).

Deterministas (semilla fija) y dentro del límite comunal real, como capas importadas: así ejercen la
misma ruta (FuenteSQL sobre ElementoReferencia) que una capa del IDE o de una consultora.
"""

import math
import random

from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import transaction

from capas.geometria import a_multi, a_srid_almacenamiento
from capas.models import CapaReferencia, ElementoReferencia
from capas.srid import reproyectar

NIVELES = {"S": {"predios": 5000, "restricciones": 2000}}
DESTINOS = ("habitacional", "agrícola", "equipamiento", "área verde", "forestal", "ñadi")
CATEGORIAS = ("humedal", "inundacion", "remocion", "cauces", "area_protegida")


def _poligono_irregular(azar, cx, cy, radio, vertices, srid):
    """Devuelve un polígono estrellado válido (vértices en orden angular) alrededor de (cx, cy)."""
    puntos = []
    for i in range(vertices):
        angulo = 2 * math.pi * i / vertices
        r = radio * azar.uniform(0.6, 1.0)
        puntos.append((cx + r * math.cos(angulo), cy + r * math.sin(angulo)))
    puntos.append(puntos[0])
    return Polygon(puntos, srid=srid)


def _capa(nombre, titulo, categoria, campos):
    """Crea (o reemplaza) la capa de referencia del benchmark."""
    CapaReferencia.objects.filter(nombre=nombre).delete()
    return CapaReferencia.objects.create(
        nombre=nombre,
        titulo=titulo,
        categoria=categoria,
        tipo_geometria="MultiPolygon",
        campos=campos,
        srid_origen=4326,
        archivo_origen="bench/datos.py",
        formato="generado",
    )


def _llenar(capa, elementos) -> None:
    """Inserta los elementos de la capa y anota cuántos son."""
    ElementoReferencia.objects.bulk_create(elementos, batch_size=1000)
    capa.n_elementos = len(elementos)
    capa.save(update_fields=["n_elementos"])


@transaction.atomic
def generar(*, limite, srid_metrico: int, nivel: str = "S") -> dict[str, int]:
    """Genera las capas ``bench-predios`` y ``bench-restricciones`` dentro de ``limite``."""
    cantidades = NIVELES[nivel]
    azar = random.Random(9117)
    interior = reproyectar(limite, srid_metrico).buffer(-200)
    xmin, ymin, xmax, ymax = interior.extent
    preparado = interior.prepared

    def centro():
        while True:
            x, y = azar.uniform(xmin, xmax), azar.uniform(ymin, ymax)
            punto = GEOSGeometry(f"POINT({x} {y})", srid=srid_metrico)
            if preparado.contains(punto):
                return x, y

    predios = _capa(
        "bench-predios",
        "Predios (benchmark)",
        "predial",
        [
            {"nombre": "rol", "tipo": "texto"},
            {"nombre": "destino", "tipo": "texto"},
            {"nombre": "superficie_m2", "tipo": "decimal"},
            {"nombre": "avaluo", "tipo": "entero"},
        ],
    )
    elementos = []
    for fid in range(1, cantidades["predios"] + 1):
        x, y = centro()
        lado_x, lado_y = azar.uniform(20, 120), azar.uniform(20, 120)
        rect = Polygon.from_bbox((x, y, x + lado_x, y + lado_y))
        rect.srid = srid_metrico
        geom = a_multi(a_srid_almacenamiento(rect))
        elementos.append(
            ElementoReferencia(
                capa=predios,
                fid=fid,
                geom=geom,
                atributos={
                    "rol": f"{500 + fid // 40}-{fid % 40 + 1}",
                    "destino": azar.choice(DESTINOS),
                    "superficie_m2": round(lado_x * lado_y, 2),
                    "avaluo": azar.randint(5, 900) * 1_000_000,
                },
            )
        )
    _llenar(predios, elementos)

    restricciones = _capa(
        "bench-restricciones",
        "Restricciones (benchmark)",
        "inundacion",
        [{"nombre": "categoria", "tipo": "texto"}, {"nombre": "nombre", "tipo": "texto"}],
    )
    elementos = []
    for fid in range(1, cantidades["restricciones"] + 1):
        x, y = centro()
        poligono = _poligono_irregular(azar, x, y, azar.uniform(100, 600), azar.randint(24, 96), srid_metrico)
        elementos.append(
            ElementoReferencia(
                capa=restricciones,
                fid=fid,
                geom=a_multi(a_srid_almacenamiento(poligono)),
                atributos={"categoria": azar.choice(CATEGORIAS), "nombre": f"Zona {fid} — ribera del Toltén"},
            )
        )
    _llenar(restricciones, elementos)
    return {"bench-predios": predios.n_elementos, "bench-restricciones": restricciones.n_elementos}
