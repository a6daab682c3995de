"""Datos y ayudas de las pruebas del visor: inmuebles, un proyecto, servidor con capa MVT y navegador."""

import pytest
from django.contrib.gis.geos import Point

from apps.patrimonio.models import BienInmueble
from tests.conftest import _entorno_servidor, gunicorn_levantado, usuario_de_servidor
from tests.factories import CENTRO, BienInmuebleFactory, ProyectoFactory, cuadrado


@pytest.fixture
def inmueble(comuna):
    """Inmueble cuadrado (0,001°) con esquina suroeste en el centro del pueblo."""
    return BienInmuebleFactory(
        comuna=comuna,
        nombre="Gimnasio Hualpín",
        destino="deportivo",
        estado_saneamiento="en_saneamiento",
        geom=cuadrado(),
    )


@pytest.fixture
def proyecto(comuna):
    """Proyecto puntual en el centro del inmueble."""
    return ProyectoFactory(
        comuna=comuna,
        nombre="Techado multicancha",
        etapa="diseno",
        institucion="servicio_publico",
        geom=Point(CENTRO[0] + 0.0005, CENTRO[1] + 0.0005, srid=4326),
    )


@pytest.fixture
def servidor_visor(transactional_db, estaticos, tmp_path):
    """Levanta gunicorn como en producción, más la capa de prueba en modo teselas (inmuebles de salud)."""
    entorno = {**_entorno_servidor(estaticos), "DJANGO_SETTINGS_MODULE": "tests.visor.ajustes_mvt"}
    with gunicorn_levantado(entorno, tmp_path / "gunicorn.log") as url:
        yield url


CLAVE = "una-clave-larga-9"
# El inmueble de salud (capa MVT de prueba) queda 400 m al este del de deportes (capa GeoJSON).
SALUD = (CENTRO[0] + 0.005, CENTRO[1])


@pytest.fixture
def datos_visor(comuna, inmueble, proyecto):
    """Crea la usuaria y un inmueble de salud (el que dibuja la capa MVT de prueba)."""
    usuario_de_servidor("ana", CLAVE)
    BienInmueble.objects.create(
        comuna=comuna,
        nombre="Posta rural Hualpín",
        rol_manzana=900,
        rol_predio=1,
        destino="salud",
        tenencia="dominio",
        geom=cuadrado(*SALUD),
    )
    return inmueble


def ingresar(p, servidor, destino="/mapa/"):
    """Ingresa como «ana» y espera el visor listo; devuelve la lista de errores de consola."""
    consola = []
    p.on("console", lambda m: consola.append(f"{m.text} {m.location}") if m.type == "error" else None)
    p.goto(f"{servidor}/ingresar/?next={destino}")
    p.fill("#id_username", "ana")
    p.fill("#id_password", CLAVE)
    p.click("button[type=submit]")
    p.wait_for_selector("#visor[data-listo='1']", state="attached", timeout=20_000)
    return consola


# Hay algo pintado en el lienzo (canvas) del panel de la capa: algún píxel no transparente.
PINTADA = """(capa) => [...document.querySelectorAll(`.leaflet-capa-${capa}-pane canvas`)].some((c) => {
  if (!c.width || !c.height) return false;
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < d.length; i += 4) if (d[i]) return true;
  return false;
})"""


def dibujadas(p, *capas):
    """Espera a que cada capa tenga píxeles pintados en su panel de Leaflet."""
    for capa in capas:
        p.wait_for_function(PINTADA, arg=capa)


def punto_en_pantalla(p, lon, lat):
    """Devuelve la posición (x, y) en el mapa de un punto lon/lat."""
    return p.evaluate(
        "([lat, lon]) => { const q = Visor.mapa.latLngToContainerPoint([lat, lon]); return [q.x, q.y]; }",
        [lat, lon],
    )


def clic_en(p, lon, lat):
    """Hace clic en el mapa sobre el punto lon/lat."""
    x, y = punto_en_pantalla(p, lon, lat)
    p.locator(".visor-mapa .folium-map").click(position={"x": x, "y": y})


def centrar(p, lon, lat, zoom):
    """Centra el mapa en lon/lat con el zoom dado."""
    p.evaluate("([lat, lon, z]) => Visor.mapa.setView([lat, lon], z)", [lat, lon, zoom])


def limpio(p, consola):
    """Verifica que la página no pidió nada afuera ni tuvo errores (JS, consola, HTTP ≥ 400)."""
    assert p.externas == [], f"pedidos fuera del servidor: {p.externas}"
    assert p.errores == [], p.errores
    assert consola == [], consola
    assert p.fallidas == [], p.fallidas
