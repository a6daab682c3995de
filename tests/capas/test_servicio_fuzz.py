"""API con parámetros generados (hypothesis): GeoJSON, OGC API y teselas responden 2xx/3xx/4xx, nunca 5xx.

bbox, limit, offset, datetime, bbox-crs, f y parámetros desconocidos al azar; identificadores de
elemento y z/x/y de teselas enormes. Un 4xx trae su motivo en español (JSON). Ejemplos acotados y
deterministas (``derandomize``) para CI.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capas.models import CapaReferencia, ElementoReferencia

AJUSTES = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CAPAS = ["proyectos-puntos", "inmuebles", "concesiones", "localidades", "no-existe"]
NUMERO = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["1e308", "-1e308", "NaN", "inf", "", " ", "0x10", "١"]),
)
BBOX = st.one_of(
    st.lists(NUMERO, min_size=0, max_size=6).map(",".join),
    st.text(max_size=30),
    st.sampled_from(["-73.2,-39.1,-73.0,-38.9", "-180,-90,180,90", "10,10,-10,-10", "-73.2,-39.1,-73.0"]),
)
ENTERO = st.one_of(NUMERO, st.text(max_size=10))
DATETIME = st.one_of(
    st.datetimes().map(lambda d: d.isoformat() + "Z"),
    st.sampled_from(["../..", "2024-01-01/..", "2024-13-45T99:99:99Z", "", "ahora", "2024-01-01/2023-01-01"]),
    st.text(max_size=20),
)
PARAMETROS = st.fixed_dictionaries(
    {},
    optional={
        "bbox": BBOX,
        "limit": ENTERO,
        "offset": ENTERO,
        "datetime": DATETIME,
        "bbox-crs": st.sampled_from(["http://www.opengis.net/def/crs/OGC/1.3/CRS84", "EPSG:4326", "", "x"]),
        "f": st.sampled_from(["json", "html", "geojson", "xml", ""]),
        st.text(min_size=1, max_size=8).filter(lambda k: k not in ("bbox", "f")): st.text(max_size=8),
    },
)


def _sin_5xx(respuesta, contexto):
    assert respuesta.status_code < 500, (contexto, respuesta.status_code, respuesta.content[:300])
    if respuesta.status_code >= 400 and respuesta["Content-Type"].startswith("application/"):
        assert respuesta.content, contexto


@pytest.fixture
def sesion(client, planificador, datos):
    """Devuelve el cliente con sesión de Planificador y la demo cargada."""
    client.force_login(planificador)
    return client


def test_ogcapi_elementos_con_parametros_generados(sesion):
    antes = (CapaReferencia.objects.count(), ElementoReferencia.objects.count())

    @AJUSTES
    @given(capa=st.sampled_from(CAPAS), parametros=PARAMETROS)
    def probar(capa, parametros):
        respuesta = sesion.get(f"/ogcapi/collections/{capa}/items", parametros)
        _sin_5xx(respuesta, parametros)
        if respuesta.status_code == 400:
            assert respuesta.json()["description"], parametros

    probar()
    assert (CapaReferencia.objects.count(), ElementoReferencia.objects.count()) == antes


def test_ogcapi_elemento_y_geojson_con_entradas_generadas(sesion):
    @AJUSTES
    @given(
        capa=st.sampled_from(CAPAS),
        identificador=st.one_of(
            st.integers(min_value=0, max_value=10**40).map(str),
            st.text(alphabet="0123456789-+. abc%", min_size=1, max_size=20),
        ),
        bbox=BBOX,
    )
    def probar(capa, identificador, bbox):
        _sin_5xx(sesion.get(f"/ogcapi/collections/{capa}/items/{identificador}"), identificador)
        _sin_5xx(sesion.get(f"/capas/{capa}.geojson", {"bbox": bbox}), bbox)

    probar()


def test_teselas_con_z_x_y_generados(sesion):
    @AJUSTES
    @given(
        capa=st.sampled_from(CAPAS),
        z=st.one_of(st.integers(min_value=0, max_value=24), st.integers(min_value=0, max_value=10**30)),
        x=st.integers(min_value=0, max_value=10**30),
        y=st.integers(min_value=0, max_value=10**30),
    )
    def probar(capa, z, x, y):
        respuesta = sesion.get(f"/tiles/{capa}/{z}/{x % (2**z) if z < 25 and x % 3 else x}/{y}.pbf")
        _sin_5xx(respuesta, (capa, z, x, y))

    probar()
