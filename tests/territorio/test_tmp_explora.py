import json
import pytest
from django.test import Client
from tests.nucleo.formularios import formulario_admin

VALORES = [
    '{"type":"Point","coordinates":[-73.089,-38.994,10]}',
    'POINT Z (-73.089 -38.994 10)',
    'POINT M (-73.089 -38.994 10)',
    'POINT ZM (-73.089 -38.994 10 3)',
    '{"type":"Point","coordinates":[1e308,-38.994]}',
    '{"type":"Point","coordinates":[-73.089,1e308]}',
    'POINT (NaN NaN)',
    'POINT (inf 0)',
    '{"type":"Point","coordinates":[200,-38.994]}',
    '{"type":"Point","coordinates":[-73.089,-95]}',
    'POINT EMPTY',
    '{"type":"Polygon","coordinates":[[[-73.08,-38.99],[-73.07,-38.99],[-73.08,-38.98],[-73.07,-38.98],[-73.08,-38.99]]]}',
    'GEOMETRYCOLLECTION (POINT (-73.089 -38.994))',
    '{"type":"Feature"}',
    'garbage',
    '{"type":"Point","coordinates":[]}',
    'SRID=32719;POINT (1e308 5)',
    'SRID=999999;POINT (1 5)',
    '{"type":"Point","coordinates":["a","b"]}',
    '{"type":"LineString","coordinates":[[-73.089,-38.994]]}',
    'POLYGON ((0 0, 1 1, 0 0))',
    'CIRCULARSTRING (0 0, 1 1, 2 0)',
    '0101000000000000000000F87F000000000000F87F',
]

@pytest.mark.parametrize("valor", VALORES)
def test_explora(valor, comuna, planificador):
    c = Client(raise_request_exception=True)
    c.force_login(planificador)
    datos = formulario_admin(c, "/admin/proyectos/proyecto/add/", nombre="X", tipologia="proyecto", etapa="perfil", institucion="municipal")
    datos["geom"] = valor
    r = c.post("/admin/proyectos/proyecto/add/", datos)
    import re
    err = re.findall(r'class="errorlist[^"]*"[^>]*><li>(.*?)</li>', r.content.decode())
    print("\nRESULT", valor, r.status_code, err)
