"""Demostración: determinista, marcada como demo y removible sin tocar los datos reales."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.comunas.models import Localidad
from apps.demo.services import MODELOS_DEMO, PREFIJO, DemoConDependencias, demo_cargar, demo_eliminar
from apps.proyectos.models import Proyecto
from tests.factories import ProyectoFactory


def _instantanea():
    """Devuelve el contenido de la demo sin ids ni marcas de tiempo."""
    ignorar = {"id", "creado", "modificado", "comuna"}
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
                if campo.is_relation:  # por clave natural: los ids cambian entre cargas
                    valor = str(valor) if valor is not None else None
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
        "zonas": 2,
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


def test_eliminar_demo_se_niega_si_algo_real_depende_de_ella(comuna):
    demo_cargar(comuna=comuna)
    sector_demo = Localidad.objects.get(es_demo=True)
    real = ProyectoFactory(comuna=comuna, nombre="Proyecto real", localidad=sector_demo)
    with pytest.raises(DemoConDependencias, match="proyecto «Proyecto real»"):
        demo_eliminar()
    assert Proyecto.objects.get(pk=real.pk).localidad == sector_demo
    assert Proyecto.objects.filter(es_demo=True).count() == 10
    with pytest.raises(CommandError, match="No se eliminó nada"):
        call_command("demo_eliminar")


def test_preparar_no_vuelve_a_cargar_la_demo_eliminada(db, roles):
    salida = StringIO()
    call_command("territorio_preparar", stdout=salida)
    assert "Demostración cargada" in salida.getvalue()
    call_command("demo_eliminar", stdout=StringIO())
    salida = StringIO()
    call_command("territorio_preparar", stdout=salida)
    assert "Sin demostración" in salida.getvalue()
    assert not Proyecto.objects.filter(es_demo=True).exists()


def test_cargar_demo_dos_veces_se_rechaza(comuna):
    demo_cargar(comuna=comuna)
    with pytest.raises(ValueError, match="Ya hay datos de demostración"):
        demo_cargar(comuna=comuna)
