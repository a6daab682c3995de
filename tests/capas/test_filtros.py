"""Filtros de capa: la lista /capas/ los describe y /capas/<capa>.geojson los aplica con parámetros."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict

from apps.patrimonio.models import Concesion
from apps.patrimonio.selectors import concesiones_con_situacion
from apps.proyectos.models import FuenteFinanciamiento, Proyecto
from capas.filtros import Filtro, condicion
from capas.registro import registro
from capas.servicio.consultas import ParametroInvalido
from tests.factories import BienInmuebleFactory, ConcesionFactory, ProyectoFactory


@pytest.fixture
def proyectos(comuna):
    """Cuatro proyectos con etapa, fuente, institución y montos conocidos (todos puntos)."""
    fndr = FuenteFinanciamiento.objects.get(codigo="fndr")
    pmu = FuenteFinanciamiento.objects.get(codigo="pmu")
    return {
        "a": ProyectoFactory(
            comuna=comuna,
            etapa="ejecucion",
            fuente=fndr,
            monto_solicitado=400_000_000,
            monto_aprobado=300_000_000,
        ),
        "b": ProyectoFactory(comuna=comuna, etapa="diseno", fuente=pmu, monto_solicitado=120_000_000),
        "c": ProyectoFactory(
            comuna=comuna, etapa="idea", institucion="privado", fuente=None, monto_solicitado=None
        ),
        "d": ProyectoFactory(comuna=comuna, etapa="ejecucion", fuente=pmu, monto_solicitado=50_000_000),
    }


def _ids(client, capa: str, consulta: str) -> list[int]:
    respuesta = client.get(f"/capas/{capa}.geojson?{consulta}")
    assert respuesta.status_code == 200, respuesta.content
    return sorted(f["id"] for f in json.loads(respuesta.content)["features"])


def _error(client, capa: str, consulta: str) -> str:
    respuesta = client.get(f"/capas/{capa}.geojson?{consulta}")
    assert respuesta.status_code == 400
    cuerpo = respuesta.json()
    assert cuerpo["code"] == "ParametroInvalido"
    return cuerpo["description"]


def test_la_lista_de_capas_describe_los_filtros(client, planificador, proyectos):
    client.force_login(planificador)
    capas = {c["nombre"]: c for c in client.get("/capas/").json()["capas"]}
    filtros = {f["nombre"]: f for f in capas["proyectos-puntos"]["filtros"]}
    assert list(filtros) == ["etapa", "fuente", "institucion", "anio", "monto"]
    assert filtros["etapa"] == {
        "nombre": "etapa",
        "titulo": "Etapa",
        "tipo": "opciones",
        "opciones": [
            ["idea", "Idea"],
            ["perfil", "Perfil"],
            ["prefactibilidad", "Prefactibilidad"],
            ["factibilidad", "Factibilidad"],
            ["diseno", "Diseño"],
            ["ejecucion", "Ejecución"],
            ["operacion", "Operación"],
        ],
    }
    fuentes = [[str(f.pk), f.nombre] for f in FuenteFinanciamiento.objects.order_by("nombre")]
    assert filtros["fuente"]["opciones"] == fuentes and len(fuentes) >= 2
    assert filtros["monto"] == {
        "nombre": "monto",
        "titulo": "Inversión (CLP)",
        "tipo": "rango",
        "opciones": [],
    }
    assert filtros["anio"]["tipo"] == "rango"
    assert [f["nombre"] for f in capas["inmuebles"]["filtros"]] == ["saneamiento", "destino"]
    concesiones = {f["nombre"]: f for f in capas["concesiones"]["filtros"]}
    assert concesiones["situacion"]["opciones"] == [
        ["vigente", "Vigente"],
        ["por_vencer", "Por vencer"],
        ["vencida", "Vencida"],
        ["terminada", "Terminada"],
        ["caducada", "Caducada"],
    ]
    assert capas["localidades"]["filtros"] == []


def test_filtros_de_proyectos_cambian_el_geojson(client, planificador, proyectos):
    client.force_login(planificador)
    p = {k: v.pk for k, v in proyectos.items()}
    assert _ids(client, "proyectos-puntos", "") == sorted(p.values())
    assert _ids(client, "proyectos-puntos", "f_etapa=ejecucion") == sorted([p["a"], p["d"]])
    assert _ids(client, "proyectos-puntos", "f_etapa=ejecucion,diseno") == sorted([p["a"], p["b"], p["d"]])
    assert _ids(client, "proyectos-puntos", "f_etapa=idea&f_etapa=diseno") == sorted([p["b"], p["c"]])
    pmu = FuenteFinanciamiento.objects.get(codigo="pmu").pk
    assert _ids(client, "proyectos-puntos", f"f_fuente={pmu}") == sorted([p["b"], p["d"]])
    assert _ids(client, "proyectos-puntos", "f_institucion=privado") == [p["c"]]
    # Monto = aprobado o, si no hay, solicitado: a vale 300 M (no 400 M).
    assert _ids(client, "proyectos-puntos", "f_monto_min=100000000") == sorted([p["a"], p["b"]])
    assert _ids(client, "proyectos-puntos", "f_monto_min=100000000&f_monto_max=299999999") == [p["b"]]
    assert _ids(client, "proyectos-puntos", "f_monto_max=300000000") == sorted([p["a"], p["b"], p["d"]])
    # Combinados (Y) y con el bbox del visor.
    assert _ids(client, "proyectos-puntos", f"f_etapa=ejecucion&f_fuente={pmu}") == [p["d"]]
    assert _ids(client, "proyectos-puntos", "f_etapa=ejecucion&bbox=-74,-40,-72,-38") == sorted(
        [p["a"], p["d"]]
    )
    # Los f_* de otra capa se ignoran (el visor y la impresión mandan los mismos a todas).
    assert _ids(client, "proyectos-puntos", "f_saneamiento=regular") == sorted(p.values())


def test_anio_es_el_del_registro_en_hora_de_chile(client, planificador, proyectos):
    client.force_login(planificador)
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXTRACT(YEAR FROM now() AT TIME ZONE 'America/Santiago')::int")
        anio = cursor.fetchone()[0]
    Proyecto.objects.filter(pk=proyectos["c"].pk).update(creado="2019-12-31T23:30:00-03:00")
    todos = sorted(x.pk for x in proyectos.values())
    assert _ids(client, "proyectos-puntos", f"f_anio_min={anio}") == [
        x for x in todos if x != proyectos["c"].pk
    ]
    # 23:30 del 31-12-2019 en Chile es 2020 en UTC: cuenta como 2019.
    assert _ids(client, "proyectos-puntos", "f_anio_min=2019&f_anio_max=2019") == [proyectos["c"].pk]
    assert _ids(client, "proyectos-puntos", "f_anio_max=2018") == []


def test_filtros_de_inmuebles(client, planificador, comuna):
    client.force_login(planificador)
    regular = BienInmuebleFactory(comuna=comuna, estado_saneamiento="regular", destino="deportivo")
    irregular = BienInmuebleFactory(comuna=comuna, estado_saneamiento="irregular", destino="equipamiento")
    assert _ids(client, "inmuebles", "f_saneamiento=irregular") == [irregular.pk]
    assert _ids(client, "inmuebles", "f_destino=deportivo") == [regular.pk]
    assert _ids(client, "inmuebles", "f_destino=deportivo&f_saneamiento=irregular") == []


def test_situacion_de_concesiones_es_la_de_las_paginas(client, planificador, comuna, settings):
    client.force_login(planificador)
    assert settings.TERRITORIO_CONCESION_DIAS_POR_VENCER == 90
    with connection.cursor() as cursor:
        cursor.execute("SELECT (now() AT TIME ZONE 'America/Santiago')::date")
        hoy = cursor.fetchone()[0]
    inicio = hoy - timedelta(days=800)

    def concesion(termino, tipo="arriendo", estado="vigente") -> Concesion:
        return ConcesionFactory(
            activo__inmueble__comuna=comuna,
            fecha_inicio=inicio,
            fecha_termino=termino,
            tipo=tipo,
            estado=estado,
        )

    vencida = concesion(hoy - timedelta(days=1))
    hoy_termina = concesion(hoy)
    en_90 = concesion(hoy + timedelta(days=90), tipo="comodato")
    en_91 = concesion(hoy + timedelta(days=91))
    indefinida = concesion(None, tipo="comodato")
    # Una caducada lo es aunque su fecha de término no haya llegado (antes el visor la decía vigente).
    caducada_en_fecha = concesion(hoy + timedelta(days=400), estado="caducada")
    assert _ids(client, "concesiones", "f_situacion=vencida") == [vencida.pk]
    assert _ids(client, "concesiones", "f_situacion=por_vencer") == sorted([hoy_termina.pk, en_90.pk])
    assert _ids(client, "concesiones", "f_situacion=vigente") == sorted([en_91.pk, indefinida.pk])
    assert _ids(client, "concesiones", "f_situacion=caducada") == [caducada_en_fecha.pk]
    assert _ids(client, "concesiones", "f_situacion=por_vencer&f_tipo_concesion=comodato") == [en_90.pk]
    assert _ids(client, "concesiones", "f_estado_concesion=caducada") == [caducada_en_fecha.pk]
    # La situación también sale como atributo (el popup y la tabla la leen), igual que en las páginas.
    datos = json.loads(client.get("/capas/concesiones.geojson").content)
    situaciones = {f["id"]: f["properties"]["situacion"] for f in datos["features"]}
    assert situaciones == {
        vencida.pk: "vencida",
        hoy_termina.pk: "por_vencer",
        en_90.pk: "por_vencer",
        en_91.pk: "vigente",
        indefinida.pk: "vigente",
        caducada_en_fecha.pk: "caducada",
    }
    assert situaciones == dict(concesiones_con_situacion(hoy=hoy).values_list("pk", "situacion_calculada"))
    assert situaciones == {c.pk: c.situacion(hoy=hoy) for c in Concesion.objects.all()}


@pytest.mark.parametrize(
    ("consulta", "mensaje"),
    [
        ("f_etapa=terminada", "Valor no válido para «Etapa»: «terminada»"),
        ("f_fuente=999999", "Valor no válido para «Fuente de financiamiento»: «999999»"),
        ("f_monto_min=mucho", "El mínimo de «Inversión (CLP)» no es un número: «mucho»"),
        ("f_monto_max=NaN", "El máximo de «Inversión (CLP)» no es un número"),
        ("f_monto_max=1.000.000", "no es un número"),
        (
            "f_monto_min=500&f_monto_max=100",
            "El mínimo de «Inversión (CLP)» (500) es mayor que el máximo (100)",
        ),
        ("f_anio_min=" + "9" * 31, "no es un número"),
    ],
)
def test_valores_invalidos_responden_400_en_espanol(client, planificador, proyectos, consulta, mensaje):
    client.force_login(planificador)
    assert mensaje in _error(client, "proyectos-puntos", consulta)


@pytest.mark.parametrize(
    "consulta",
    [
        "f_etapa=ejecucion'%20OR%20'1'='1",
        "f_etapa=ejecucion')%20OR%20TRUE--",
        "f_monto_min=0;%20DROP%20TABLE%20proyectos_proyecto;--",
        "f_monto_min=0)%20OR%20(1=1",
        "f_fuente=1%20OR%201=1",
    ],
)
def test_inyeccion_sql_en_filtros_se_rechaza(client, planificador, proyectos, consulta):
    client.force_login(planificador)
    assert "no" in _error(client, "proyectos-puntos", consulta)
    assert Proyecto.objects.count() == 4


def test_condicion_lleva_el_texto_del_usuario_solo_en_parametros():
    capa = registro.obtener("proyectos-puntos", todas=True)
    sql, params = condicion(capa, QueryDict("f_etapa=ejecucion,diseno&f_monto_min=10&f_monto_max=20"))
    assert "ejecucion" not in sql and "10" not in sql
    assert sql.count("%s") == len(params) == 3
    assert params[0] == ["ejecucion", "diseno"]
    assert condicion(capa, QueryDict("")) == ("TRUE", ())
    assert condicion(capa, QueryDict("f_etapa=&f_monto_min=")) == ("TRUE", ())
    with pytest.raises(ParametroInvalido):
        condicion(capa, QueryDict("f_etapa=" + ",".join(["idea"] * 101)))
    # Un dict (parámetros guardados de un trabajo) sirve igual que un QueryDict.
    assert condicion(capa, {"f_etapa": ["idea", "diseno"], "f_monto_max": "5"}) == (
        '(t."etapa")::text = ANY(%s) AND (COALESCE(t."monto_aprobado", t."monto_solicitado")) <= %s',
        (["idea", "diseno"], Decimal("5")),
    )


def test_declaracion_de_filtro_invalida_se_rechaza():
    with pytest.raises(ValueError):
        Filtro("x", "X", "lista", "t.x")
    with pytest.raises(ValueError):
        Filtro("Mal-Nombre", "X", "opciones", "t.x")
    with pytest.raises(ValueError):
        Filtro("monto", "Monto", "rango", "t.m", opciones=(("1", "uno"),))


def test_exportar_gpkg_entrega_solo_lo_filtrado(client, planificador, proyectos, tmp_path):
    """La tabla del visor exporta lo filtrado: el GeoPackage trae los mismos elementos que el mapa."""
    import pyogrio.raw

    client.force_login(planificador)
    consulta = "capas=proyectos-puntos&f_etapa=ejecucion&f_monto_min=100000000"
    respuesta = client.get(f"/capas/exportar/gpkg/?{consulta}")
    assert respuesta.status_code == 200
    ruta = tmp_path / "filtrado.gpkg"
    ruta.write_bytes(b"".join(respuesta.streaming_content))
    _meta, fids, *_ = pyogrio.raw.read(ruta, layer="proyectos-puntos", return_fids=True)
    assert sorted(int(f) for f in fids) == [proyectos["a"].pk]
    assert _ids(client, "proyectos-puntos", consulta) == [proyectos["a"].pk]


def test_exportar_con_filtro_invalido_responde_400(client, planificador, proyectos):
    client.force_login(planificador)
    respuesta = client.get("/capas/exportar/csv/?capas=proyectos-puntos&f_etapa=x'--")
    assert respuesta.status_code == 400
    assert "Valor no válido para «Etapa»" in respuesta.json()["description"]
