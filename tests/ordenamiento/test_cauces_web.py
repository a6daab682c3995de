"""Franja de cauces desde la página (trabajo en la cola real) y desde la orden cauces_franja; permisos."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.ordenamiento.cauces.trabajo import TIPO
from capas.models import CapaReferencia, ElementoReferencia, Trabajo
from capas.trabajos.tipos import tipo_de
from tests.capas.conftest import trabajador  # noqa: F401 (fixture de la cola real)
from tests.conftest import manage_en_proceso
from tests.factories.cauces import capa_de_lineas, capa_de_puntos, centro_utm

URL = "/ordenamiento/restricciones/franja-cauces/"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rios(comuna):
    """Capa de un estero recto de 1 km en el interior de la comuna, y una de puntos que no sirve."""
    x, y = centro_utm(comuna.srid_metrico)
    capa_de_puntos("pozos")
    return capa_de_lineas(
        "rios", [[(x - 500, y), (x + 500, y)]], srid_metrico=comuna.srid_metrico, titulo="Red hídrica DGA"
    )


def test_tipo_de_trabajo_registrado_por_el_ordenamiento():
    assert tipo_de("franja_cauces") == TIPO


def test_formulario_ofrece_solo_capas_de_lineas_o_poligonos(client, planificador, rios):
    client.force_login(planificador)
    respuesta = client.get(URL)
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert '<option value="rios">Red hídrica DGA (rios): 1 elemento, líneas</option>' in html
    assert 'value="pozos"' not in html
    assert 'name="ancho_m" value="30.0"' in html and "Ancho (m)" in html and "entre 1 y 500 m" in html
    assert 'class="form-select"' in html and 'aria-describedby="id_ancho_m_ayuda"' in html
    assert 'href="/ordenamiento/restricciones/franja-cauces/">Franja de protección de cauces</a>' in html


def test_enviar_crea_la_franja_y_la_pagina_del_trabajo_la_muestra(client, planificador, rios, trabajador):  # noqa: F811
    client.force_login(planificador)
    datos = {
        "origen": "rios",
        "ancho_m": "25",
        "nombre": "franja-rios",
        "titulo": "Franja DGA",
        "disolver": "on",
    }
    respuesta = client.post(URL, datos)
    assert respuesta.status_code == 303
    trabajo = Trabajo.objects.get()
    assert (trabajo.tipo, trabajo.usuario, trabajo.parametros["ancho_m"]) == (
        "franja_cauces",
        planificador,
        25.0,
    )
    assert respuesta["Location"] == f"/capas/trabajos/{trabajo.pk}/"
    trabajador()
    html = client.get(respuesta["Location"]).content.decode()
    capa = CapaReferencia.objects.get(nombre="franja-rios")
    assert (capa.titulo, capa.categoria, capa.n_elementos, capa.creada_por) == (
        "Franja DGA",
        "cauces",
        1,
        planificador,
    )
    assert capa.elementos.get().atributos == {"capa_origen": "rios", "n_cauces": 1, "ancho_franja_m": 25.0}
    assert "Capa «franja-rios» creada" in html and "Red hídrica DGA (rios)" in html
    assert "25,0 m" in html and "disuelta en un solo elemento" in html
    assert "51.960 m² (5,20 ha)" in html  # 2·25·1000 + 32·25²·sin(π/32)


def test_errores_del_formulario_en_espanol_y_sin_trabajo(client, planificador, rios):
    client.force_login(planificador)
    respuesta = client.post(URL, {"origen": "pozos", "ancho_m": "600", "nombre": "rios"})
    html = respuesta.content.decode()
    assert respuesta.status_code == 400
    assert "Elija una capa de referencia de líneas o polígonos de la lista." in html
    assert "menor o igual a 500" in html
    assert "Ya existe una capa «rios»; elija otro identificador." in html
    assert Trabajo.objects.count() == 0


def test_rechazo_del_servicio_se_ve_en_la_pagina_del_trabajo(client, planificador, comuna, trabajador):  # noqa: F811
    lejos_x, lejos_y = centro_utm(comuna.srid_metrico, -72.60, -38.74)
    capa_de_lineas(
        "rio-cautin", [[(lejos_x, lejos_y), (lejos_x + 100, lejos_y)]], srid_metrico=comuna.srid_metrico
    )
    client.force_login(planificador)
    respuesta = client.post(URL, {"origen": "rio-cautin", "ancho_m": "30", "nombre": "franja-cautin"})
    trabajador()
    html = client.get(respuesta["Location"]).content.decode()
    assert "El trabajo no terminó" in html
    assert "La franja de cada cauce de «rio-cautin» queda fuera del límite de la comuna" in html
    assert not CapaReferencia.objects.filter(nombre="franja-cautin").exists()


def test_solo_planificador_o_administrador(client, consulta, rios, admin_user):
    client.force_login(consulta)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"origen": "rios", "ancho_m": "30", "nombre": "x-franja"}).status_code == 403
    assert "Franja de protección de cauces" not in client.get("/").content.decode()
    assert Trabajo.objects.count() == 0
    client.logout()
    assert client.get(URL).status_code in (302, 403)
    client.force_login(admin_user)
    assert client.get(URL).status_code == 200


def orden(*argumentos) -> str:
    """Ejecuta cauces_franja y devuelve su salida estándar."""
    salida = StringIO()
    call_command("cauces_franja", *map(str, argumentos), stdout=salida, stderr=StringIO())
    return salida.getvalue()


def test_orden_crea_la_franja(comuna, rios):
    salida = orden("--origen", "rios", "--ancho", "30", "--nombre", "franja-rios")
    assert salida.splitlines()[0] == (
        "Capa «franja-rios» creada: 1 elemento (MultiPolygon), franja de 30,0 m de «rios» en EPSG:5362, "
        "62.823 m² (6,28 ha)."
    )
    capa = CapaReferencia.objects.get(nombre="franja-rios")
    assert (capa.categoria, capa.creada_por, capa.elementos.get().atributos["fid_origen"]) == (
        "cauces",
        None,
        1,
    )
    # La capa nueva es de restricción: al confirmarse queda programada la preparación de la comuna.
    tipos = list(Trabajo.objects.order_by("pk").values_list("tipo", "parametros__cut"))
    assert tipos == [("franja_cauces", None), ("restricciones_preparar", "09117")]


def test_orden_rechaza_en_espanol_sin_dejar_nada(comuna, rios):
    with pytest.raises(
        CommandError, match=r"No se creó la franja\. El ancho .* \(se pidió 0\); corrija --ancho\."
    ):
        orden("--origen", "rios", "--ancho", "0")
    with pytest.raises(CommandError, match="No existe una capa de referencia «esteros»"):
        orden("--origen", "esteros")
    assert CapaReferencia.objects.count() == 2 and ElementoReferencia.objects.count() == 2


def test_orden_en_un_proceso_real_como_rol_de_la_aplicacion(comuna, rios):
    proceso = manage_en_proceso("cauces_franja", "--origen", "rios", "--ancho", "600", "-v", "0")
    assert proceso.returncode == 1 and "Traceback" not in proceso.stderr
    assert proceso.stderr.strip() == (
        "No se creó la franja. El ancho de la franja debe estar entre 1 y 500 m (se pidió 600); "
        "corrija --ancho."
    )
    proceso = manage_en_proceso("cauces_franja", "--origen", "rios", "--nombre", "franja-rios", "-v", "0")
    assert proceso.returncode == 0, proceso.stderr
    assert proceso.stdout.startswith("Capa «franja-rios» creada: 1 elemento (MultiPolygon), franja de 30,0 m")
    assert CapaReferencia.objects.get(nombre="franja-rios").categoria == "cauces"
