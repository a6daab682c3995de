"""En un navegador real: el mapa del admin carga sin internet y dibujar un punto crea el proyecto."""

import pytest
from django.contrib.gis.geos import Point

from apps.proyectos.models import Proyecto
from tests.conftest import usuario_de_servidor
from tests.factories import CENTRO
from tests.navegador import pagina

pytestmark = pytest.mark.servidor


def test_planificadora_dibuja_un_proyecto_en_el_mapa_del_admin(servidor, comuna, tmp_path):
    usuario_de_servidor("ana", "una-clave-larga-9")
    # Playwright corre un bucle de eventos: la base se toca antes y después, no dentro.
    with pagina(servidor) as p:
        p.goto(f"{servidor}/ingresar/?next=/admin/proyectos/proyecto/add/")
        p.fill("#id_username", "ana")
        p.fill("#id_password", "una-clave-larga-9")
        p.click("button[type=submit]")
        p.wait_for_selector(".leaflet-container")
        p.wait_for_selector(".leaflet-draw-draw-marker")
        # El límite comunal se dibuja como referencia y el mapa se ajusta a él.
        p.wait_for_selector(".leaflet-territorio-contexto-pane path")
        p.wait_for_function("Object.values(window.territorioMapas || {}).some(m => m.territorioListo)")
        p.fill("#id_nombre", "Refugio peatonal Hualpín")
        p.select_option("#id_tipologia", "proyecto")
        p.select_option("#id_etapa", "idea")
        p.select_option("#id_institucion", "municipal")
        p.click(".leaflet-draw-draw-marker")
        # Clic en el pueblo de Teodoro Schmidt, ubicado con la proyección del propio mapa; la posición
        # es relativa al mapa en el momento del clic (un desplazamiento de la página no la corre).
        x, y = p.evaluate(
            "([lat, lon]) => { const m = Object.values(window.territorioMapas)[0];"
            " const q = m.latLngToContainerPoint([lat, lon]); return [q.x, q.y]; }",
            [CENTRO[1], CENTRO[0]],
        )
        p.locator(".leaflet-container").first.click(position={"x": x, "y": y})
        p.screenshot(path=str(tmp_path / "admin_proyecto.png"), full_page=True)
        p.click("input[name=_save]")
        p.wait_for_url(f"{servidor}/admin/proyectos/proyecto/")
        mensaje = p.locator(".messagelist").inner_text()
        externas, errores, fallidas = p.externas, p.errores, p.fallidas

    assert externas == [], f"peticiones fuera del servidor: {externas}"
    assert errores == [], errores
    assert fallidas == [], fallidas
    assert "Refugio peatonal Hualpín" in mensaje
    proyecto = Proyecto.objects.get(nombre="Refugio peatonal Hualpín")
    assert proyecto.geom.geom_type == "Point"
    assert comuna.limite.covers(proyecto.geom)
    # Un píxel del mapa ajustado a la comuna mide decenas de metros: el punto cae a menos de 200 m.
    assert (
        proyecto.geom.transform(5362, clone=True).distance(
            Point(*CENTRO, srid=4326).transform(5362, clone=True)
        )
        < 200
    )
