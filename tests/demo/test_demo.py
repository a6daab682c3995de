"""Demostración: determinista, marcada como demo y removible sin tocar los datos reales."""

import pytest
from django.core.management import call_command

from apps.demo.services import MODELOS_DEMO, PREFIJO, demo_cargar, demo_eliminar
from apps.proyectos.models import Proyecto
from tests.factories import ProyectoFactory


def _instantanea():
    """Devuelve el contenido de la demo sin ids ni marcas de tiempo."""
    ignorar = {"id", "creado", "modificado", "comuna", "localidad", "inmueble", "activo", "fuente"}
    contenido = {}
    for modelo in MODELOS_DEMO:
        filas = []
        for registro in modelo.objects.filter(es_demo=True).order_by(
            "nombre" if hasattr(modelo, "nombre") else "titular_nombre"
        ):
            fila = []
            for campo in modelo._meta.concrete_fields:
                if campo.name in ignorar:
                    continue
                valor = getattr(registro, campo.name)
                fila.append((campo.name, valor.wkt if hasattr(valor, "wkt") else valor))
            filas.append(fila)
        contenido[modelo.__name__] = filas
    return contenido


def test_demo_es_determinista_y_esta_marcada(comuna):
    creados = demo_cargar(comuna=comuna)
    assert creados == {
        "localidades": 1,
        "proyectos": 10,
        "inmuebles": 6,
        "activos": 6,
        "concesiones": 4,
        "propuestas": 3,
    }
    primera = _instantanea()
    for modelo in MODELOS_DEMO:
        for registro in modelo.objects.filter(es_demo=True):
            texto = getattr(registro, "nombre", None) or registro.titular_nombre
            assert texto.startswith(PREFIJO), texto
    demo_eliminar()
    demo_cargar(comuna=comuna)
    assert _instantanea() == primera


def test_demo_tiene_puntos_lineas_y_poligonos_dentro_de_la_comuna(comuna):
    demo_cargar(comuna=comuna)
    tipos = {p.geom.geom_type for p in Proyecto.objects.filter(es_demo=True)}
    assert tipos == {"Point", "LineString", "Polygon"}
    for proyecto in Proyecto.objects.filter(es_demo=True):
        assert comuna.limite.covers(proyecto.geom), proyecto.nombre


def test_eliminar_demo_no_toca_datos_reales(comuna):
    real = ProyectoFactory(comuna=comuna, nombre="Proyecto real")
    demo_cargar(comuna=comuna)
    call_command("demo_eliminar")
    assert list(Proyecto.objects.all()) == [real]
    assert not any(m.objects.filter(es_demo=True).exists() for m in MODELOS_DEMO)


def test_cargar_demo_dos_veces_se_rechaza(comuna):
    demo_cargar(comuna=comuna)
    with pytest.raises(ValueError, match="Ya hay datos de demostración"):
        demo_cargar(comuna=comuna)
