"""Formularios del admin con entradas generadas (hypothesis): siempre 200 con error o 302, nunca 5xx.

Geometrías válidas, inválidas, con Z/M, con NaN, infinitas o 1e308, vacías, de otro tipo, y GeoJSON o
WKT basura, por los formularios de alta de cada modelo de dominio con geometría; números enormes,
fechas imposibles y parámetros raros en los listados. Lo rechazado no escribe nada; lo aceptado queda
válido y en 2D. Ejemplos acotados y deterministas (``derandomize``): la suite es reproducible en CI.
"""

import json
import re

import pytest
from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ActivoFactory, BienInmuebleFactory
from tests.nucleo.formularios import formulario_admin

AJUSTES = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_RE_ERROR = re.compile(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', re.S)

# Dentro de Teodoro Schmidt (lon, lat) y valores hostiles para cualquier coordenada.
LON = st.floats(min_value=-73.22, max_value=-73.02)
LAT = st.floats(min_value=-39.10, max_value=-38.90)
HOSTILES = st.sampled_from([1e308, -1e308, float("nan"), float("inf"), -float("inf"), 180.0001, -90.5, 5e6])
COORD = st.one_of(st.tuples(LON, LAT), st.tuples(st.one_of(LON, HOSTILES), st.one_of(LAT, HOSTILES)))
COORD_ZM = st.one_of(COORD, st.tuples(LON, LAT, st.floats(allow_nan=True)))


@st.composite
def _anillo(draw):
    puntos = draw(st.lists(COORD, min_size=0, max_size=6))
    if puntos and draw(st.booleans()):
        puntos.append(puntos[0])  # casi siempre cerrado, a veces no
    return [list(p) for p in puntos]


def _geojson():
    """Devuelve geometrías GeoJSON de todo tipo (válidas, inválidas, Z, vacías, colecciones)."""
    punto = COORD_ZM.map(list)
    simples = st.one_of(
        st.builds(lambda c: {"type": "Point", "coordinates": c}, punto),
        st.builds(lambda cs: {"type": "LineString", "coordinates": cs}, st.lists(punto, max_size=5)),
        st.builds(lambda rs: {"type": "Polygon", "coordinates": rs}, st.lists(_anillo(), max_size=2)),
        st.builds(lambda ps: {"type": "MultiPoint", "coordinates": ps}, st.lists(punto, max_size=3)),
        st.builds(
            lambda rs: {"type": "MultiPolygon", "coordinates": [rs]},
            st.lists(_anillo(), min_size=1, max_size=2),
        ),
    )
    return st.one_of(
        simples,
        st.builds(lambda gs: {"type": "GeometryCollection", "geometries": gs}, st.lists(simples, max_size=2)),
    )


def _wkt(coordenadas) -> str:
    return ", ".join(" ".join(repr(v) for v in c) for c in coordenadas)


@st.composite
def _texto_wkt(draw):
    tipo = draw(st.sampled_from(["POINT", "LINESTRING", "POLYGON", "MULTIPOLYGON", "POINT Z", "POINT M"]))
    coordenadas = draw(st.lists(COORD_ZM, min_size=1, max_size=5))
    cuerpo = _wkt(coordenadas)
    if tipo in ("POLYGON", "MULTIPOLYGON"):
        cuerpo = f"({cuerpo}, {_wkt(coordenadas[:1])})"
    if tipo == "MULTIPOLYGON":
        cuerpo = f"({cuerpo})"
    srid = draw(st.sampled_from(["", "SRID=4326;", "SRID=32718;", "SRID=3857;", "SRID=999999;", "SRID=0;"]))
    return f"{srid}{tipo} ({cuerpo})"


_JSON_BASURA = st.recursive(
    st.none() | st.booleans() | st.floats() | st.text(max_size=10),
    lambda hijos: st.lists(hijos, max_size=3) | st.dictionaries(st.text(max_size=8), hijos, max_size=3),
    max_leaves=8,
)
GEOMETRIAS = st.one_of(
    _geojson().map(lambda g: json.dumps(g)),
    _texto_wkt(),
    _JSON_BASURA.map(json.dumps),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=60),
    st.sampled_from(["POINT EMPTY", "MULTIPOLYGON EMPTY", '{"type":"Feature"}', "0101000000", "{}", "[]"]),
)

# (URL del admin, modelo, campo geométrico, campos obligatorios además de la geometría).
CASOS = {
    "proyecto": ("proyectos/proyecto", "geom", {"nombre": "P", "tipologia": "proyecto", "etapa": "perfil"}),
    "inmueble": (
        "patrimonio/bieninmueble",
        "geom",
        {
            "nombre": "I",
            "rol_manzana": "9",
            "rol_predio": "1",
            "destino": "equipamiento",
            "tenencia": "dominio",
        },
    ),
    "activo": ("patrimonio/activo", "ubicacion", {"nombre": "A", "tipo": "gimnasio"}),
    "concesion": (
        "patrimonio/concesion",
        "geom",
        {
            "tipo": "arriendo",
            "titular_nombre": "T",
            "titular_rut": "76.086.428-5",
            "fecha_inicio": "2024-01-01",
        },
    ),
    "propuesta": (
        "ordenamiento/propuestausosuelo",
        "geom",
        {"nombre": "U", "uso_propuesto": "residencial", "justificacion": "J"},
    ),
    "localidad-ubicacion": ("comunas/localidad", "ubicacion", {"nombre": "L", "tipo": "sector"}),
    "localidad-area": ("comunas/localidad", "area", {"nombre": "L", "tipo": "sector"}),
}
VALIDAS = {
    "geom": "MULTIPOLYGON (((-73.10 -39.00, -73.099 -39.00, -73.099 -38.999, -73.10 -39.00)))",
    "ubicacion": '{"type": "Point", "coordinates": [-73.09, -38.99]}',
    "area": "MULTIPOLYGON (((-73.10 -39.00, -73.099 -39.00, -73.099 -38.999, -73.10 -39.00)))",
}


def _formulario_base(client, comuna, caso):
    """Devuelve (url, modelo, campo, datos válidos del formulario de alta) del caso."""
    ruta, campo, obligatorios = CASOS[caso]
    url = f"/admin/{ruta}/add/"
    datos = formulario_admin(client, url, **obligatorios)
    if "activo" in ruta:
        datos["inmueble"] = str(BienInmuebleFactory(comuna=comuna, rol_predio=9001).pk)
    if "concesion" in ruta:
        datos["activo"] = str(ActivoFactory(inmueble__comuna=comuna, inmueble__rol_predio=9002).pk)
    if caso == "proyecto":
        datos["institucion"] = "municipal"
    if caso == "localidad-area":
        datos["ubicacion"] = VALIDAS["ubicacion"]
    modelo = apps.get_model(*ruta.split("/"))
    return url, modelo, campo, datos


def _geometria_guardada_es_2d_y_valida(modelo, campo) -> bool:
    tabla = modelo._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT bool_and(ST_IsValid("{campo}") AND ST_NDims("{campo}") = 2) FROM "{tabla}" '
            f'WHERE "{campo}" IS NOT NULL'
        )
        return cursor.fetchone()[0] in (True, None)


@pytest.mark.parametrize("caso", list(CASOS))
def test_alta_con_geometrias_generadas_nunca_responde_5xx(caso, admin_client, comuna):
    url, modelo, campo, base = _formulario_base(admin_client, comuna, caso)
    # El resto del formulario es válido: una geometría correcta se guarda (302).
    nombre_valido = {**base, campo: VALIDAS[campo]}
    if "nombre" in base:
        nombre_valido["nombre"] = "válido"
    assert admin_client.post(url, nombre_valido).status_code == 302, caso
    vistos = {"aceptados": 0, "rechazados": 0}

    @AJUSTES
    @given(valor=GEOMETRIAS, n=st.integers(min_value=1, max_value=10**6))
    def probar(valor, n):
        datos = {**base, campo: valor}
        if "nombre" in base:
            datos["nombre"] = f"caso {n}"
        if caso == "inmueble":
            datos["rol_predio"] = str(n + 10)
        antes = modelo.objects.count()
        respuesta = admin_client.post(url, datos)
        assert respuesta.status_code in (200, 302), (valor, respuesta.status_code)
        if respuesta.status_code == 200:
            errores = _RE_ERROR.findall(respuesta.content.decode())
            assert errores and all(e.strip() for e in errores), valor
            assert modelo.objects.count() == antes, valor
            vistos["rechazados"] += 1
        else:
            assert modelo.objects.count() == antes + 1, valor
            vistos["aceptados"] += 1

    probar()
    assert vistos["rechazados"] > 0
    assert _geometria_guardada_es_2d_y_valida(modelo, campo)


@pytest.mark.parametrize(
    "valor",
    [
        '{"type": "Point", "coordinates": [-73.09, -38.99, 12.5]}',
        "POINT Z (-73.09 -38.99 12.5)",
        '{"type": "Point", "coordinates": [1e308, -38.99]}',
        "POINT (NaN NaN)",
        '{"type": "Point", "coordinates": [190, -38.99]}',
        '{"type": "Point", "coordinates": []}',
        "SRID=999999;POINT (1 5)",
    ],
)
def test_geometrias_hostiles_del_sondeo_son_error_del_campo(valor, admin_client, comuna):
    url = "/admin/proyectos/proyecto/add/"
    datos = formulario_admin(
        admin_client, url, nombre="Sondeo", tipologia="proyecto", etapa="perfil", institucion="municipal"
    )
    respuesta = admin_client.post(url, {**datos, "geom": valor})
    assert respuesta.status_code == 200
    errores = " ".join(_RE_ERROR.findall(respuesta.content.decode()))
    assert any(
        frase in errores
        for frase in ("coordenada Z", "fuera de rango", "vacía", "No se reconoce", "no es un sistema")
    ), errores
    assert not apps.get_model("proyectos", "Proyecto").objects.filter(nombre="Sondeo").exists()


ENTEROS_RAROS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["1e308", "NaN", "inf", "-0", "9" * 400, "1.5", "", " ", "١٢٣"]),
    st.text(max_size=12),
)
FECHAS_RARAS = st.one_of(
    st.sampled_from(["2024-02-30", "0000-01-01", "9999-12-31", "10000-01-01", "31/12/2024", "", "hoy"]),
    st.dates().map(str),
    st.text(max_size=12),
)


def test_numeros_y_fechas_generados_en_formularios_nunca_responden_5xx(admin_client, comuna):
    url_proyecto, _m, _c, proyecto = _formulario_base(admin_client, comuna, "proyecto")
    url_concesion, _m, _c, concesion = _formulario_base(admin_client, comuna, "concesion")
    url_inmueble, _m, _c, inmueble = _formulario_base(admin_client, comuna, "inmueble")

    @AJUSTES
    @given(monto=ENTEROS_RAROS, canon=ENTEROS_RAROS, fecha=FECHAS_RARAS, anio=ENTEROS_RAROS, m2=ENTEROS_RAROS)
    def probar(monto, canon, fecha, anio, m2):
        envios = [
            (url_proyecto, {**proyecto, "geom": VALIDAS["ubicacion"], "monto_solicitado": monto}),
            (url_concesion, {**concesion, "canon_clp": canon, "fecha_inicio": fecha, "fecha_termino": fecha}),
            (url_inmueble, {**inmueble, "geom": VALIDAS["geom"], "cbr_anio": anio, "superficie_m2": m2}),
        ]
        for url, datos in envios:
            respuesta = admin_client.post(url, datos)
            assert respuesta.status_code in (200, 302), (url, datos, respuesta.status_code)

    probar()


LISTADOS = ["proyectos/proyecto", "patrimonio/concesion", "patrimonio/bieninmueble", "comunas/localidad"]
PARAMETROS = st.sampled_from(
    ["o", "p", "q", "e", "all", "etapa__exact", "monto_solicitado__gte", "fecha_inicio__gte", "id__in"]
    + ["es_demo__exact", "geom__intersects", "comuna__id__exact", "modificado__gte", "_popup", "_to_field"]
)


def test_listados_del_admin_con_parametros_generados_nunca_responden_5xx(admin_client, comuna):
    @AJUSTES
    @given(
        listado=st.sampled_from(LISTADOS),
        parametros=st.dictionaries(PARAMETROS, st.one_of(ENTEROS_RAROS, FECHAS_RARAS), max_size=3),
    )
    def probar(listado, parametros):
        respuesta = admin_client.get(f"/admin/{listado}/", parametros)
        assert respuesta.status_code in (200, 302, 400, 404), (listado, parametros, respuesta.status_code)

    probar()
