"""Dos altas simultáneas de concesiones superpuestas: el candado del trigger deja pasar solo una."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from apps.patrimonio.models import Concesion
from tests.factories import CENTRO, ActivoFactory, BienInmuebleFactory, ConcesionFactory, cuadrado


def _alta_en_otra_conexion(activo, listo, resultados, demora):
    """Inserta una concesión en su propia transacción y espera ``demora`` antes de confirmar."""
    try:
        with transaction.atomic():
            ConcesionFactory.build(
                activo=activo,
                comuna=activo.comuna,
                fecha_inicio=date(2026, 1, 1),
                fecha_termino=date(2026, 12, 31),
                geom=cuadrado(*CENTRO, 0.0005),
            ).save()
            listo.set()
            threading.Event().wait(demora)
        resultados.append("ok")
    except IntegrityError as error:
        resultados.append(str(error))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_altas_simultaneas_superpuestas_no_pasan_las_dos(comuna):
    activo = ActivoFactory(inmueble=BienInmuebleFactory(comuna=comuna, geom=cuadrado(*CENTRO, 0.001)))
    resultados, primera_lista = [], threading.Event()
    # La primera inserta y retiene su transacción abierta; la segunda inserta mientras tanto.
    primera = threading.Thread(target=_alta_en_otra_conexion, args=(activo, primera_lista, resultados, 1.0))
    primera.start()
    assert primera_lista.wait(10)
    segunda = threading.Thread(target=_alta_en_otra_conexion, args=(activo, threading.Event(), resultados, 0))
    segunda.start()
    primera.join(15)
    segunda.join(15)
    assert sorted(r if r == "ok" else "rechazada" for r in resultados) == ["ok", "rechazada"]
    assert any("se superpone con otra vigente" in r for r in resultados)
    assert Concesion.objects.count() == 1
