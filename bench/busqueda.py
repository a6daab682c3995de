"""Mide /capas/buscar/ con 5.000 proyectos sintéticos sobre la base de desarrollo (y los deshace).

Uso (con la comuna cargada): ``./run manage shell -c "from bench.busqueda import main; main()"``.
Los proyectos se insertan en una transacción que se revierte al final: la base queda como estaba.
"""

import time

from django.contrib.gis.geos import Point
from django.db import connection, transaction

N = 5000
TEXTOS = ("plaza", "30004999", "camino vecinal", "zzzz")


class _Deshacer(Exception):
    """Revierte la transacción de la medición."""


def main(repeticiones: int = 15):
    from apps.comunas.models import Comuna
    from apps.proyectos.models import Proyecto
    from capas.registro import registro
    from capas.servicio.busqueda import buscar_en

    comuna = Comuna.objects.get()
    try:
        with transaction.atomic():
            Proyecto.objects.bulk_create(
                [
                    Proyecto(
                        comuna=comuna,
                        nombre=f"Proyecto sintético número {i} camino vecinal",
                        tipologia="proyecto",
                        etapa="perfil",
                        institucion="municipal",
                        codigo_bip=f"{30_000_000 + i:08d}-{i % 10}",
                        geom=Point(-73.0 - (i % 100) * 0.0005, -38.95 - (i // 100) * 0.0005, srid=4326),
                    )
                    for i in range(N)
                ],
                batch_size=1000,
            )
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Proyecto._meta.db_table}")
            capas = [c for c in registro.para_visor(todas=True) if c.busqueda]
            for texto in TEXTOS:
                buscar_en(capas, texto, tope=20)
                tiempos = []
                for _ in range(repeticiones):
                    inicio = time.perf_counter()
                    resultados = buscar_en(capas, texto, tope=20)
                    tiempos.append(time.perf_counter() - inicio)
                tiempos.sort()
                print(
                    f"{N} proyectos, q={texto!r}: {len(resultados)} resultados, "
                    f"mediana {tiempos[len(tiempos) // 2] * 1000:.1f} ms"
                )
            raise _Deshacer
    except _Deshacer:
        pass
