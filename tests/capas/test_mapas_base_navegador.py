"""En un navegador real: el mapa de edición dibuja el mapa base WMS configurado y las capas de contexto.

El WMS es MapServer en 127.0.0.1 (tests/wms.py): ningún pedido sale de la máquina.
"""

import pytest

from apps.comunas.models import Localidad
from apps.comunas.services import localidades_cargar
from capas.mapas.models import MapaBase
from capas.models import ElementoReferencia
from tests.conftest import usuario_de_servidor
from tests.factories import CapaReferenciaFactory, cuadrado
from tests.navegador import CAPTURAS, pagina
from tests.wms import COLOR_ZONAS, cuantos_del_color

pytestmark = pytest.mark.servidor

RELLENO_CONTEXTO = "#5e35b1"


def _ingresar_y_abrir_proyecto_nuevo(p, servidor):
    p.goto(f"{servidor}/ingresar/?next=/admin/proyectos/proyecto/add/")
    p.fill("#id_username", "ana")
    p.fill("#id_password", "una-clave-larga-9")
    p.click("button[type=submit]")
    p.wait_for_selector(".leaflet-container")
    p.wait_for_function("Object.values(window.territorioMapas || {}).some(m => m.territorioListo)")


def test_mapa_de_edicion_dibuja_el_wms_local_bajo_la_comuna_y_las_localidades(servidor, comuna, wms):
    localidades_cargar(comuna=comuna)
    nombres = sorted(Localidad.objects.values_list("nombre", flat=True))
    assert nombres, "la comuna de prueba no tiene localidades conocidas"
    capa = CapaReferenciaFactory(nombre="humedales-contexto", de_contexto=True, relleno=RELLENO_CONTEXTO)
    ElementoReferencia.objects.create(capa=capa, fid=1, geom=cuadrado(lado=0.02), atributos={})
    MapaBase.objects.create(
        nombre="zonas",
        titulo="Zonas (WMS local)",
        tipo="wms",
        url=wms.url,
        capas="zonas",
        transparente=False,
        atribucion="MapServer de prueba local",
        por_omision=True,
    )
    usuario_de_servidor("ana", "una-clave-larga-9")
    with pagina(servidor) as p:
        _ingresar_y_abrir_proyecto_nuevo(p, servidor)
        p.wait_for_function(
            "document.querySelectorAll('.leaflet-tile-pane img.leaflet-tile-loaded').length >= 4"
        )
        # Contexto: comuna, localidades (con su nombre) y la capa marcada, bajo lo que se edita.
        pane = ".leaflet-territorio-contexto-pane"
        caminos = p.locator(f"{pane} path").count()
        con_relleno = p.locator(f'{pane} path[fill="{RELLENO_CONTEXTO}"]').count()
        etiquetas = sorted(p.locator(".leaflet-tooltip").all_inner_texts())
        atribucion = p.locator(".leaflet-control-attribution").inner_text()
        opciones = p.locator(".leaflet-control-layers-base label").all_inner_texts()
        fuentes = p.eval_on_selector_all(".leaflet-tile-pane img", "imgs => imgs.map(i => i.src)")
        mapa = p.locator(".leaflet-container").first.screenshot()
        CAPTURAS.mkdir(parents=True, exist_ok=True)
        p.screenshot(path=str(CAPTURAS / "mapa_edicion_wms_contexto.png"))
        externas, errores, fallidas = p.externas, p.errores, p.fallidas

    # WMS y aplicación son 127.0.0.1: nada sale de la máquina.
    assert [u for u in externas if not u.startswith("http://127.0.0.1:")] == []
    assert all(u.startswith(wms.url) for u in externas), externas
    assert errores == [] and fallidas == [], (errores, fallidas)
    getmap = [q.lower() for q in wms.peticiones if "request=getmap" in q.lower()]
    assert len(getmap) >= 4 and all("layers=zonas" in q and "srs=epsg%3a3857" in q for q in getmap), getmap
    assert all(f.startswith(wms.url) for f in fuentes), fuentes
    # La zona del WMS (rojo del mapfile) cubre buena parte del mapa ajustado a la comuna.
    assert cuantos_del_color(mapa, COLOR_ZONAS, tolerancia=20) > 20_000
    assert caminos >= 2 + len(nombres) and con_relleno == 1
    assert etiquetas == nombres
    assert "MapServer de prueba local" in atribucion
    assert [o.strip() for o in opciones] == ["Zonas (WMS local)", "Sin mapa base"]


def test_sin_mapa_base_configurado_no_hay_teselas_ni_control(servidor, comuna):
    usuario_de_servidor("ana", "una-clave-larga-9")
    with pagina(servidor) as p:
        _ingresar_y_abrir_proyecto_nuevo(p, servidor)
        teselas = p.locator(".leaflet-tile-pane img").count()
        control = p.locator(".leaflet-control-layers").count()
        comuna_dibujada = p.locator(".leaflet-territorio-contexto-pane path").count()
        externas, errores = p.externas, p.errores
    assert externas == [] and errores == []
    assert (teselas, control) == (0, 0)
    assert comuna_dibujada >= 1
