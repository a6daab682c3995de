"""Sectores censales (Censo 2017) y los mapas temáticos de inversión por sector, con cifras a mano."""

import json
import shutil

import pytest
from django.contrib.gis.geos import LineString, Point
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.comunas.censo import (
    NOMBRE_RURAL,
    POBLACION_COMUNAS,
    POBLACION_ZONAS,
    ZONAS,
    localidades_censo_cargar,
)
from apps.comunas.models import Localidad
from apps.comunas.services import localidades_cargar
from tests.conftest import DATOS_REALES
from tests.factories import ProyectoFactory

# Censo 2017 (README de los datos reales §2): zonas urbanas y total de la comuna.
TEODORO_SCHMIDT_URBANO = 2_635
GUALPIN_URBANO = 2_317
COMUNA = 15_045
RURAL = 15_045 - (2_635 + 2_317)  # = 10.093

HUALPIN = (-73.18180, -39.08697)
TEODORO_SCHMIDT = (-73.08928, -38.99460)
BARROS_ARANA = (-72.98330, -38.91670)  # rural: fuera de ambas zonas urbanas


def _cargar(comuna, **otras):
    rutas = {
        "zonas": DATOS_REALES / ZONAS,
        "poblacion_zonas": DATOS_REALES / POBLACION_ZONAS,
        "poblacion_comunas": DATOS_REALES / POBLACION_COMUNAS,
    }
    rutas.update(otras)
    return localidades_censo_cargar(comuna=comuna, **rutas)


@pytest.fixture
def sectores(comuna):
    localidades_cargar(comuna=comuna)
    return _cargar(comuna)


def test_carga_zonas_urbanas_y_resto_rural_con_su_poblacion(comuna, sectores):
    assert sectores == {
        "zonas": [("Teodoro Schmidt", TEODORO_SCHMIDT_URBANO), ("Hualpín", GUALPIN_URBANO)],
        "rural": RURAL,
        "comuna": COMUNA,
        "creadas": 1,
        "actualizadas": 2,
    }
    poblacion = dict(Localidad.objects.values_list("nombre", "poblacion"))
    assert poblacion == {
        "Teodoro Schmidt": 2_635,
        "Hualpín": 2_317,
        NOMBRE_RURAL: 10_093,
        "Barros Arana": None,  # aldea sin zona censal propia: cae en el resto rural
    }
    urbanas = Localidad.objects.filter(nombre__in=["Teodoro Schmidt", "Hualpín"])
    rural = Localidad.objects.get(nombre=NOMBRE_RURAL)
    assert rural.tipo == "sector" and rural.area.contains(Point(*BARROS_ARANA, srid=4326))
    for urbana in urbanas:
        assert urbana.area.contains(urbana.ubicacion)
        assert not rural.area.intersects(urbana.ubicacion)
    # Las tres áreas cubren la comuna sin superponerse (área en m², UTM 18S).
    total = sum(loc.area.transform(comuna.srid_metrico, clone=True).area for loc in [*urbanas, rural])
    assert total == pytest.approx(comuna.limite.transform(comuna.srid_metrico, clone=True).area, rel=1e-6)


def test_recargar_actualiza_sin_duplicar(comuna, sectores):
    segunda = _cargar(comuna)
    assert (segunda["creadas"], segunda["actualizadas"]) == (0, 3)
    assert Localidad.objects.filter(area__isnull=False).count() == 3


def test_sin_localidades_previas_crea_las_zonas_con_el_nombre_ine(comuna):
    resumen = _cargar(comuna)
    assert resumen["zonas"] == [("Teodoro Schmidt", 2_635), ("Gualpín", 2_317)]
    assert resumen["creadas"] == 3


def test_es_todo_o_nada(comuna, tmp_path):
    localidades_cargar(comuna=comuna)
    incompleto = tmp_path / "zonas.csv"
    with (DATOS_REALES / POBLACION_ZONAS).open() as origen, incompleto.open("w") as destino:
        destino.writelines(linea for linea in origen if not linea.startswith("09117071001"))
    with pytest.raises(CommandError, match="No hay población para las zonas 09117071001. No se cambió nada"):
        call_command(
            "localidades_censo_cargar",
            "--zonas",
            str(DATOS_REALES / ZONAS),
            "--poblacion-zonas",
            str(incompleto),
            "--poblacion-comunas",
            str(DATOS_REALES / POBLACION_COMUNAS),
        )
    assert not Localidad.objects.filter(poblacion__isnull=False).exists()
    assert not Localidad.objects.filter(nombre=NOMBRE_RURAL).exists()
    malo = tmp_path / "comunas.csv"
    shutil.copy(DATOS_REALES / POBLACION_COMUNAS, malo)
    with malo.open("a") as archivo:
        archivo.write("09117,80 o mas,mujeres,muchas\n")
    with pytest.raises(CommandError, match="la población no es un entero"):
        call_command(
            "localidades_censo_cargar",
            f"--zonas={DATOS_REALES / ZONAS}",
            f"--poblacion-zonas={DATOS_REALES / POBLACION_ZONAS}",
            f"--poblacion-comunas={malo}",
        )
    assert not Localidad.objects.filter(poblacion__isnull=False).exists()


def test_la_orden_informa_las_cifras(comuna, capsys):
    localidades_cargar(comuna=comuna)
    call_command(
        "localidades_censo_cargar",
        f"--zonas={DATOS_REALES / ZONAS}",
        f"--poblacion-zonas={DATOS_REALES / POBLACION_ZONAS}",
        f"--poblacion-comunas={DATOS_REALES / POBLACION_COMUNAS}",
    )
    salida = capsys.readouterr().out
    assert "Teodoro Schmidt 2.635, Hualpín 2.317; resto rural 10.093 (comuna 15.045)" in salida


def test_mapas_tematicos_suman_la_inversion_por_sector(client, planificador, comuna, sectores):
    client.force_login(planificador)
    # Teodoro Schmidt: 300 M aprobados (no los 400 M pedidos) + 120 M solicitados = 420 M.
    ProyectoFactory(
        comuna=comuna,
        geom=Point(*TEODORO_SCHMIDT, srid=4326),
        monto_solicitado=400_000_000,
        monto_aprobado=300_000_000,
    )
    ProyectoFactory(comuna=comuna, geom=Point(*TEODORO_SCHMIDT, srid=4326), monto_solicitado=120_000_000)
    # Hualpín: 50 M; un proyecto sin montos no suma.
    ProyectoFactory(comuna=comuna, geom=Point(*HUALPIN, srid=4326), monto_solicitado=50_000_000)
    ProyectoFactory(comuna=comuna, geom=Point(*HUALPIN, srid=4326))
    # Rural: 1.000 M en Barros Arana y un camino rural de 2.000 M (cuenta en el sector de su punto interior).
    ProyectoFactory(comuna=comuna, geom=Point(*BARROS_ARANA, srid=4326), monto_solicitado=1_000_000_000)
    ProyectoFactory(
        comuna=comuna,
        geom=LineString((-72.99, -38.92), (-72.97, -38.91), srid=4326),
        monto_solicitado=2_000_000_000,
    )
    ProyectoFactory(comuna=comuna, geom=None, monto_solicitado=9_000_000_000)  # sin ubicación: no suma
    respuesta = client.get("/capas/inversion-sectores.geojson")
    assert respuesta.status_code == 200
    propiedades = {
        f["properties"]["nombre"]: f["properties"] for f in json.loads(respuesta.content)["features"]
    }
    assert propiedades == {
        "Teodoro Schmidt": {
            "nombre": "Teodoro Schmidt",
            "poblacion": 2_635,
            "inversion": 420_000_000,
            "inversion_por_habitante": 159_393,  # 420.000.000 / 2.635 = 159.392,79
            "n_proyectos": 2,
        },
        "Hualpín": {
            "nombre": "Hualpín",
            "poblacion": 2_317,
            "inversion": 50_000_000,
            "inversion_por_habitante": 21_580,  # 50.000.000 / 2.317 = 21.579,63
            "n_proyectos": 2,
        },
        NOMBRE_RURAL: {
            "nombre": NOMBRE_RURAL,
            "poblacion": 10_093,
            "inversion": 3_000_000_000,
            "inversion_por_habitante": 297_236,  # 3.000.000.000 / 10.093 = 297.235,69
            "n_proyectos": 2,
        },
    }


def test_mapas_tematicos_en_la_lista_con_leyenda_graduada(client, planificador, sectores):
    client.force_login(planificador)
    capas = {c["nombre"]: c for c in client.get("/capas/").json()["capas"]}
    clp = capas["inversion-sectores"]
    assert clp["grupo"] == "Mapas temáticos"
    assert [e["etiqueta"] for e in clp["leyenda"]] == [
        "$ 0 – $ 99.999.999",
        "$ 100.000.000 – $ 499.999.999",
        "$ 500.000.000 – $ 999.999.999",
        "$ 1.000.000.000 – $ 2.499.999.999",
        "$ 2.500.000.000 – $ 4.999.999.999",
        "$ 5.000.000.000 o más",
    ]
    assert clp["estilo"]["campo"] == "inversion"
    assert clp["estilo"]["rangos"][0] == {
        "min": 0,
        "max": 100_000_000,
        "estilo": {
            "color": "#636363",
            "weight": 1.0,
            "fillColor": "#ffffb2",
            "fillOpacity": 0.7,
            "radius": 5.0,
        },
    }
    assert clp["estilo"]["rangos"][-1]["max"] is None
    por_habitante = capas["inversion-por-habitante"]
    assert por_habitante["estilo"]["campo"] == "inversion_por_habitante"
    assert por_habitante["leyenda"][2]["etiqueta"] == "$ 50.000 – $ 99.999"
    # Anónimo no ve la inversión (capa con permiso de proyectos).
    client.logout()
    assert "inversion-sectores" not in {c["nombre"] for c in client.get("/capas/").json()["capas"]}


def test_la_demo_pone_inversion_en_cada_sector_y_no_pierde_ninguna(client, planificador, comuna, sectores):
    from apps.demo.services import demo_cargar
    from apps.proyectos.models import Proyecto

    client.force_login(planificador)
    demo_cargar(comuna=comuna)
    sectores = [
        f["properties"]
        for f in json.loads(client.get("/capas/inversion-sectores.geojson").content)["features"]
    ]
    assert all(s["inversion"] > 0 for s in sectores), sectores
    # Los sectores cubren la comuna: cada proyecto de la demo cuenta una vez, en un solo sector.
    demo = Proyecto.objects.filter(es_demo=True)
    assert sum(s["n_proyectos"] for s in sectores) == demo.count() == 10
    assert sum(s["inversion"] for s in sectores) == sum(p.monto_aprobado or p.monto_solicitado for p in demo)
