"""Franja de protección de cauces: áreas calculadas a mano, atributos, recorte y rechazos todo o nada.

Un buffer de ancho w en PostGIS aproxima cada arco con SEGMENTOS_CUARTO (N) segmentos por cuarto de
círculo: los dos extremos redondos de una recta forman un polígono regular de 4N lados inscrito en el
círculo de radio w, de área C = 2N·w²·sin(π/2N) (≈ π·w², 0,16 % menos con N = 16). Así el área de
la franja de una recta de largo L es exactamente 2·w·L + C, y se compara con π·w² con esa tolerancia.
"""

import math

import pytest
from django.db import connection

from apps.ordenamiento.cauces.services import SEGMENTOS_CUARTO, PeticionFranja, franja_cauces_crear
from capas.importacion.informe import ImportacionRechazada
from capas.models import CapaReferencia, ElementoReferencia
from tests.factories.cauces import capa_de_lineas, capa_de_poligonos, capa_de_puntos, centro_utm

W, L = 30.0, 1000.0
N = SEGMENTOS_CUARTO


def extremos(w: float = W) -> float:
    """Devuelve el área del polígono de 4N lados inscrito en el círculo de radio w (los dos extremos)."""
    return 2 * N * w**2 * math.sin(math.pi / (2 * N))


def areas(capa, srid: int) -> dict[int, float]:
    """Devuelve el área (m², medida por PostGIS en ``srid``) de cada elemento de la capa, por fid."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT fid, ST_Area(ST_Transform(geom, %s)) FROM capas_elementoreferencia WHERE capa_id = %s",
            [srid, capa.pk],
        )
        return dict(cursor.fetchall())


def fuera_del_admisible_m2(capa, comuna, *, fid: int) -> float:
    """Devuelve el área (m², en el SRID métrico) del elemento que queda fuera del límite admisible."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Area(ST_Difference(ST_Transform(e.geom, c.srid_metrico), "
            "ST_Transform(c.limite_admisible, c.srid_metrico))) "
            "FROM capas_elementoreferencia e, comunas_comuna c WHERE e.capa_id = %s AND e.fid = %s "
            "AND c.id = %s",
            [capa.pk, fid, comuna.pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def rios(comuna):
    """Capa de un estero recto de L m de oeste a este, en el interior de la comuna."""
    x, y = centro_utm(comuna.srid_metrico)
    return capa_de_lineas(
        "rios",
        [[(x - L / 2, y), (x + L / 2, y)]],
        srid_metrico=comuna.srid_metrico,
        atributos=[{"nombre": "Estero Hualpín", "orden": 3}],
    )


def test_franja_de_recta_mide_2wl_mas_los_extremos(comuna, rios, planificador):
    capa = franja_cauces_crear(
        peticion=PeticionFranja(origen="rios", nombre="franja-rios", ancho_m=W), actor=planificador
    )
    esperado = 2 * W * L + extremos()  # 60.000 + 2.822,9 m²
    (area,) = areas(capa, comuna.srid_metrico).values()
    assert area == pytest.approx(esperado, rel=1e-7)
    # Frente al círculo exacto, la diferencia es la de aproximar los arcos con segmentos (< 0,17 %).
    tolerancia_arco = math.pi * W**2 * (1 - 2 * N * math.sin(math.pi / (2 * N)) / math.pi)
    assert abs(area - (2 * W * L + math.pi * W**2)) <= tolerancia_arco * 1.001
    assert tolerancia_arco / (math.pi * W**2) < 0.0017
    assert capa.informe["franja"]["area_m2"] == pytest.approx(esperado, rel=1e-7)
    assert (capa.categoria, capa.tipo_geometria, capa.n_elementos) == ("cauces", "MultiPolygon", 1)
    assert (capa.srid_origen, capa.cut, capa.creada_por) == (comuna.srid_metrico, "09117", planificador)
    assert capa.titulo == "Franja de cauces de 30 m — Capa rios"
    elemento = capa.elementos.get()
    assert (elemento.geom.srid, elemento.geom.geom_type) == (4326, "MultiPolygon")
    assert comuna.limite.covers(elemento.geom)
    evento = capa.events.select_related("pgh_context").get(pgh_label="alta")
    assert evento.pgh_context.metadata == {"user": planificador.pk, "origen": "franja_cauces_crear"}
    assert capa.informe["leidos"] == 1 and capa.informe["importados"] == 1
    assert capa.informe["franja"]["recortados"] == [] and capa.informe["omitidos"] == []
    assert capa.informe["avisos"] == [
        "Franja de 30 m a cada lado de 1 cauce de «rios», calculada en EPSG:5362: 62.823 m² (6,28 ha)."
    ]


def test_atributos_del_cauce_se_copian_con_el_ancho(comuna, rios):
    capa = franja_cauces_crear(peticion=PeticionFranja(origen="rios", nombre="franja-rios", ancho_m=12.5))
    assert capa.elementos.get().atributos == {
        "nombre": "Estero Hualpín",
        "orden": 3,
        "fid_origen": 1,
        "ancho_franja_m": 12.5,
    }
    assert capa.campos == [
        {"nombre": "nombre", "tipo": "texto"},
        {"nombre": "orden", "tipo": "entero"},
        {"nombre": "fid_origen", "tipo": "entero"},
        {"nombre": "ancho_franja_m", "tipo": "decimal"},
    ]
    assert areas(capa, comuna.srid_metrico)[1] == pytest.approx(2 * 12.5 * L + extremos(12.5), rel=1e-7)


def test_ancho_por_omision_sale_de_settings(comuna, rios, settings):
    settings.TERRITORIO_FRANJA_CAUCES_M = 15.0
    capa = franja_cauces_crear(peticion=PeticionFranja(origen="rios", nombre="franja-rios"))
    assert capa.informe["franja"]["ancho_m"] == 15.0
    assert areas(capa, comuna.srid_metrico)[1] == pytest.approx(2 * 15 * L + extremos(15), rel=1e-7)


def test_dos_cauces_cruzados_por_cauce_y_disueltos(comuna):
    x, y = centro_utm(comuna.srid_metrico)
    capa_de_lineas(
        "esteros",
        [[(x - L / 2, y), (x + L / 2, y)], [(x, y - L / 2), (x, y + L / 2)]],
        srid_metrico=comuna.srid_metrico,
    )
    por_cauce = franja_cauces_crear(peticion=PeticionFranja(origen="esteros", nombre="por-cauce", ancho_m=W))
    assert areas(por_cauce, comuna.srid_metrico) == {
        1: pytest.approx(2 * W * L + extremos(), rel=1e-7),
        2: pytest.approx(2 * W * L + extremos(), rel=1e-7),
    }
    disuelta = franja_cauces_crear(
        peticion=PeticionFranja(origen="esteros", nombre="disuelta", ancho_m=W, disolver=True)
    )
    # La unión cuenta una sola vez el cuadrado de 2w × 2w donde se cruzan (los extremos no se tocan).
    assert areas(disuelta, comuna.srid_metrico) == {
        1: pytest.approx(2 * (2 * W * L + extremos()) - (2 * W) ** 2, rel=1e-7)
    }
    assert disuelta.elementos.get().atributos == {
        "capa_origen": "esteros",
        "n_cauces": 2,
        "ancho_franja_m": W,
    }
    assert [c["nombre"] for c in disuelta.campos] == ["capa_origen", "n_cauces", "ancho_franja_m"]
    assert disuelta.informe["leidos"] == 2 and disuelta.informe["franja"]["disuelta"] is True


def test_poligono_de_cauce_crece_w_por_lado_con_esquinas_redondas(comuna):
    x, y, a = *centro_utm(comuna.srid_metrico), 200.0
    capa_de_poligonos(
        "lecho", [[(x, y), (x + a, y), (x + a, y + a), (x, y + a), (x, y)]], srid_metrico=comuna.srid_metrico
    )
    capa = franja_cauces_crear(peticion=PeticionFranja(origen="lecho", nombre="franja-lecho", ancho_m=W))
    # El lecho, cuatro rectángulos a × w y cuatro cuartos de círculo en las esquinas.
    assert areas(capa, comuna.srid_metrico)[1] == pytest.approx(a * a + 4 * a * W + extremos(), rel=1e-7)


def test_poligonos_superpuestos_disueltos_cuentan_su_union(comuna):
    x, y, a = *centro_utm(comuna.srid_metrico), 200.0
    cuadrado = lambda dx: [(x + dx, y), (x + dx + a, y), (x + dx + a, y + a), (x + dx, y + a), (x + dx, y)]  # noqa: E731
    capa_de_poligonos("lechos", [cuadrado(0), cuadrado(a / 2)], srid_metrico=comuna.srid_metrico)
    capa = franja_cauces_crear(
        peticion=PeticionFranja(origen="lechos", nombre="franja-lechos", ancho_m=W, disolver=True)
    )
    # La unión es un rectángulo de 1,5a × a: crece w por su perímetro 2·(1,5a + a), más las esquinas.
    assert areas(capa, comuna.srid_metrico) == {
        1: pytest.approx(1.5 * a * a + 2 * (1.5 * a + a) * W + extremos(), rel=1e-7)
    }


def test_franja_que_sale_de_la_comuna_se_recorta_y_la_de_afuera_se_omite(comuna):
    x, y = centro_utm(comuna.srid_metrico)
    lejos_x, lejos_y = centro_utm(comuna.srid_metrico, -72.60, -38.74)  # Temuco: 40 km al este
    oeste, _sur, este, _norte = comuna.limite.extent
    borde_x, _ = centro_utm(comuna.srid_metrico, este + 0.05, -38.955)  # ~4 km al este del límite
    capa_de_lineas(
        "rios",
        [
            [(x, y), (x + 100, y)],
            [(x, y + 500), (borde_x, y + 500)],
            [(lejos_x, lejos_y), (lejos_x + 100, lejos_y)],
        ],
        srid_metrico=comuna.srid_metrico,
    )
    capa = franja_cauces_crear(peticion=PeticionFranja(origen="rios", nombre="franja-rios", ancho_m=W))
    assert sorted(capa.elementos.values_list("fid", flat=True)) == [1, 2]
    assert capa.informe["franja"]["recortados"] == [2]
    assert capa.informe["omitidos"] == [
        {
            "fid": 3,
            "motivo": (
                "la franja queda fuera del límite de la comuna (con su tolerancia de 1.000 m); cauce omitido"
            ),
            "cambio": "",
        }
    ]
    assert (
        "1 franja (fid 2) se recortó al límite de la comuna con su tolerancia de 1.000 m"
        in capa.informe["avisos"][1]
    )
    assert capa.informe["avisos"][2] == "1 cauce quedó entero fuera de la comuna y se omitió."
    # Recortada en el SRID métrico: lo que queda fuera del límite admisible, medido allí, es ruido.
    assert fuera_del_admisible_m2(capa, comuna, fid=2) < 1e-3
    assert not comuna.limite.covers(capa.elementos.get(fid=2).geom)  # llega hasta la tolerancia
    completa = 2 * W * (borde_x - x) + extremos()
    assert 0 < areas(capa, comuna.srid_metrico)[2] < completa
    assert capa.n_elementos == 2 and capa.informe["leidos"] == 3


REVERSA = {"nombre": "franja-rios", "ancho_m": W}


@pytest.mark.parametrize(
    ("cambios", "mensaje"),
    [
        ({"origen": "no-existe"}, "No existe una capa de referencia «no-existe»"),
        ({"origen": "pozos"}, "La capa «pozos» no tiene líneas ni polígonos (MultiPoint)"),
        (
            {"ancho_m": 0.5},
            "El ancho de la franja debe estar entre 1 y 500 m (se pidió 0,5); corrija el campo",
        ),
        ({"ancho_m": 501}, "El ancho de la franja debe estar entre 1 y 500 m (se pidió 501)"),
        ({"ancho_m": float("nan")}, "El ancho de la franja debe estar entre 1 y 500 m"),
        ({"nombre": "rios"}, "Ya existe una capa «rios»; elija otro identificador."),
        ({"nombre": "Franja Ríos"}, "Identificador inválido «Franja Ríos»"),
        ({"nombre": "propuestas-uso-suelo"}, "es el identificador de una capa del sistema"),
    ],
)
def test_rechazos_no_dejan_nada(comuna, rios, cambios, mensaje):
    capa_de_puntos("pozos")
    antes = (CapaReferencia.objects.count(), ElementoReferencia.objects.count())
    with pytest.raises(ImportacionRechazada) as rechazo:
        franja_cauces_crear(peticion=PeticionFranja(**{"origen": "rios", **REVERSA, **cambios}))
    assert mensaje in rechazo.value.mensaje
    assert (CapaReferencia.objects.count(), ElementoReferencia.objects.count()) == antes


def test_todo_fuera_de_la_comuna_se_rechaza_sin_dejar_la_capa(comuna):
    lejos_x, lejos_y = centro_utm(comuna.srid_metrico, -72.60, -38.74)
    capa_de_lineas(
        "rio-cautin", [[(lejos_x, lejos_y), (lejos_x + L, lejos_y)]], srid_metrico=comuna.srid_metrico
    )
    for disolver in (False, True):
        with pytest.raises(ImportacionRechazada, match="queda fuera del límite de la comuna") as rechazo:
            franja_cauces_crear(
                peticion=PeticionFranja(origen="rio-cautin", nombre="franja", ancho_m=W, disolver=disolver)
            )
        assert rechazo.value.codigo == "fuera_de_comuna"
    assert list(CapaReferencia.objects.values_list("nombre", flat=True)) == ["rio-cautin"]
    assert ElementoReferencia.objects.count() == 1


def test_sin_comuna_cargada_se_rechaza(db):
    with pytest.raises(ImportacionRechazada, match="No hay comuna cargada"):
        franja_cauces_crear(peticion=PeticionFranja(origen="rios", nombre="franja-rios", ancho_m=W))


def test_la_franja_cuenta_en_las_areas_del_analisis_de_superposicion(comuna, rios):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from apps.ordenamiento.restricciones import POR_CATEGORIA
    from apps.ordenamiento.superposicion import areas_restricciones
    from capas.srid import reproyectar

    capa = franja_cauces_crear(peticion=PeticionFranja(origen="rios", nombre="franja-rios", ancho_m=W))
    x, y = centro_utm(comuna.srid_metrico)
    # Cuadrado de 200 m centrado en el estero, lejos de sus extremos: corta la franja en 200 × 2w.
    cuadrado = Polygon(
        ((x - 100, y - 100), (x + 100, y - 100), (x + 100, y + 100), (x - 100, y + 100), (x - 100, y - 100)),
        srid=comuna.srid_metrico,
    )
    por_categoria, por_capa, _capas = areas_restricciones(
        MultiPolygon(reproyectar(cuadrado, 4326), srid=4326), comuna=comuna
    )
    assert por_categoria == {"cauces": pytest.approx(200 * 2 * W, rel=1e-6)}
    assert por_capa == {capa.pk: pytest.approx(200 * 2 * W, rel=1e-6)}
    assert POR_CATEGORIA["cauces"].condicion_para("residencial") == "prohibido"
