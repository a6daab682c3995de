"""Ayudas de las pruebas de edición en navegador: usuarios del servidor, ingreso y el mapa de dibujo."""

import json

import pytest

from apps.nucleo.roles import CONSULTA, PLANIFICADOR
from tests.conftest import usuario_de_servidor
from tests.factories import CENTRO

CLAVE = "una-clave-larga-9"


def usuarios():
    """Crea «ana» y «berta» (Planificador) y «concejal» (Consulta) con clave de servidor."""
    return {
        "ana": usuario_de_servidor("ana", CLAVE, PLANIFICADOR),
        "berta": usuario_de_servidor("berta", CLAVE, PLANIFICADOR),
        "concejal": usuario_de_servidor("concejal", CLAVE, CONSULTA),
    }


def entrar(p, servidor, usuario, destino):
    """Ingresa como ``usuario`` y abre ``destino``; devuelve la lista de errores de consola."""
    consola = []
    p.on("console", lambda m: consola.append(f"{m.text} {m.location}") if m.type == "error" else None)
    p.goto(f"{servidor}/ingresar/?next={destino}")
    p.fill("#id_username", usuario)
    p.fill("#id_password", CLAVE)
    p.click("button[type=submit]")
    p.wait_for_load_state()
    return consola


def mapa_listo(p, campo="id_geom"):
    """Espera el mapa de dibujo con su mapa base y capas de contexto cargados."""
    p.wait_for_selector(f"#{campo}-map[data-listo='1']", state="attached", timeout=20_000)
    p.wait_for_timeout(300)


def en_pantalla(p, lon, lat):
    """Devuelve la posición (x, y) dentro del mapa de dibujo de un punto lon/lat."""
    return p.evaluate(
        "([lat, lon]) => { const q = Dibujo.mapa.latLngToContainerPoint([lat, lon]); return [q.x, q.y]; }",
        [lat, lon],
    )


def clic_mapa(p, lon, lat, campo="id_geom"):
    """Hace clic en el mapa de dibujo sobre lon/lat."""
    x, y = en_pantalla(p, lon, lat)
    p.locator(f"#{campo}-map").click(position={"x": x, "y": y})
    p.wait_for_timeout(250)


def datos_proyecto(**extra):
    """Devuelve el POST de un proyecto válido (monto con puntos, punto en el pueblo), con ``extra``."""
    datos = {
        "nombre": "Pavimentación calle Los Aromos",
        "tipologia": "proyecto",
        "etapa": "diseno",
        "institucion": "municipal",
        "monto_solicitado": "150.000.000",
        "geom": json.dumps({"type": "Point", "coordinates": [CENTRO[0] + 0.0005, CENTRO[1] + 0.0005]}),
    }
    return {**datos, **extra}


@pytest.fixture
def cliente(client, planificador, comuna):
    """Cliente de Django con la sesión de una planificadora y la comuna cargada."""
    client.force_login(planificador)
    return client
