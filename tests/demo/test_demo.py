"""Demostración: determinista, marcada como demo y removible sin tocar los datos reales."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.comunas.models import Localidad
from apps.demo.services import (
    MODELOS_DEMO,
    PREFIJO,
    DemoConDependencias,
    demo_cargar,
    demo_eliminar,
    hay_demo,
)
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
        "etapas": 3,
        "zonas": 2,
        "capas_restriccion": 2,
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


def test_demo_muestra_el_informe_de_superposicion_con_zonas_y_restricciones(comuna):
    from apps.ordenamiento.models import EtapaPropuesta, PropuestaUsoSuelo
    from apps.ordenamiento.superposicion import informe_de_propuesta

    demo_cargar(comuna=comuna)
    propuestas = list(PropuestaUsoSuelo.objects.filter(es_demo=True).order_by("pk"))
    ribera, educacional, productiva = (informe_de_propuesta(p) for p in propuestas)
    # La inundación cubre la mitad este de la primera; la segunda cae en la zona urbana (permitido)
    # con la remoción en masa a 300 m; la tercera, en la de extensión (condicionado).
    assert [c["categoria"] for c in ribera["categorias"]] == ["inundacion"]
    assert ribera["categorias"][0]["porcentaje"] == pytest.approx(50, abs=0.01)  # coordenadas redondeadas
    assert [(z["codigo"], z["condicion"]) for z in educacional["zonas"]] == [("ZU-1", "permitido")]
    assert {d["categoria"]: round(d["distancia_m"]) for d in educacional["distancias"]}["remocion"] == 300
    assert productiva["veredicto"] == "condicionado"
    # Las etapas del flujo llevan el informe congelado y se van con la demo.
    assert EtapaPropuesta.objects.filter(propuesta=propuestas[2]).count() == 2
    demo_eliminar()
    assert not EtapaPropuesta.objects.exists()
    assert not hay_demo()
