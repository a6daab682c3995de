"""Importación de zonas como trabajo: la web en dos pasos con la cola real y la orden zonas_importar."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from apps.ordenamiento.models import Zona
from capas.trabajos.models import Trabajo
from tests.factories import CENTRO
from tests.ordenamiento.conftest import NORMATIVA_LAS_CONDES, ZONAS_LAS_CONDES, anillo, geojson_zonas

pytestmark = pytest.mark.django_db(transaction=True)
LON, LAT = CENTRO


def test_web_lee_los_campos_y_encola_la_importacion(client, planificador, las_condes, trabajador):
    client.force_login(planificador)
    respuesta = client.post(
        "/ordenamiento/zonas/importar/",
        {
            "archivo": SimpleUploadedFile("zonas PRC.geojson", ZONAS_LAS_CONDES.read_bytes()),
            "tabla": SimpleUploadedFile("normativa.xlsx", NORMATIVA_LAS_CONDES.read_bytes()),
            "instrumento": "prc",
            "nombre_instrumento": "PRC Las Condes",
        },
    )
    assert respuesta.status_code == 303
    trabajo = Trabajo.objects.get()
    assert respuesta["Location"] == f"/ordenamiento/zonas/importar/{trabajo.pk}/campos/"
    # Espera el mapeo en la cola (programado): el trabajador no lo corre aún.
    trabajador()
    trabajo.refresh_from_db()
    assert (trabajo.estado, trabajo.cola_id is not None, Zona.objects.count()) == ("pendiente", True, 0)
    pagina = client.get(respuesta["Location"]).content.decode()
    assert "423 elementos" in pagina and "<code>cod</code>" in pagina and "UEe3-Ee3" in pagina
    assert '<option value="cod" selected>cod</option>' in pagina  # propuesto por su nombre
    assert '<option value="densidad_bruta_maxima" selected>densidad_bruta_maxima (tabla)</option>' in pagina
    mapeo = {
        "campo_codigo": "cod",
        "campo_nombre": "nombre",
        "campo_densidad": "densidad_bruta_maxima",
        "campo_uso_permitido": "uso_permitido",
        "campo_uso_prohibido": "uso_prohibido",
    }
    # Sin unir los polígonos del mismo código, el archivo se rechaza entero.
    respuesta = client.post(respuesta["Location"], mapeo)
    assert respuesta.status_code == 303 and respuesta["Location"] == f"/capas/trabajos/{trabajo.pk}/"
    trabajador()
    html = client.get(respuesta["Location"]).content.decode()
    assert (
        "no se importó nada" in html and "Zona «AV-AV» (fid" in html and "se repite en 139 elementos" in html
    )
    assert Zona.objects.count() == 0


def test_web_importa_con_union_por_codigo(client, planificador, las_condes, trabajador):
    client.force_login(planificador)
    respuesta = client.post(
        "/ordenamiento/zonas/importar/",
        {
            "archivo": SimpleUploadedFile("zonas.geojson", ZONAS_LAS_CONDES.read_bytes()),
            "tabla": SimpleUploadedFile("normativa.xlsx", NORMATIVA_LAS_CONDES.read_bytes()),
            "instrumento": "prc",
            "nombre_instrumento": "PRC Las Condes",
        },
    )
    mapeo = {"campo_codigo": "cod", "campo_densidad": "densidad_bruta_maxima", "unir_por_codigo": "on"}
    respuesta = client.post(respuesta["Location"], mapeo)
    trabajador()
    html = client.get(respuesta["Location"]).content.decode()
    assert "Zonas de «PRC Las Condes» importadas" in html
    assert (
        "66 zonas (66 nuevas, 0 actualizadas, 0 eliminadas) y 0 usos, desde 423 elementos en EPSG:4326"
        in html
    )
    zona = Zona.objects.get(codigo="UV-EAb1")
    assert (zona.densidad_max_hab_ha, zona.nombre) == (160, "UV-EAb1")
    assert f'href="/ordenamiento/zonas/{zona.pk}/"' in html


def test_web_rechaza_un_archivo_ilegible_al_leer_los_campos(client, planificador, comuna, trabajador):
    client.force_login(planificador)
    respuesta = client.post(
        "/ordenamiento/zonas/importar/",
        {"archivo": SimpleUploadedFile("roto.geojson", b"[1, 2]"), "instrumento": "prc"},
    )
    pagina = client.get(respuesta["Location"], follow=True).content.decode()
    assert "«roto.geojson» no es un GeoJSON válido" in pagina
    assert Trabajo.objects.get().estado == "fallido"


def test_orden_importa_y_rechaza_en_espanol(comuna, tmp_path):
    ruta = geojson_zonas(
        tmp_path / "z.geojson",
        [
            ({"cod": "ZU-1", "nom": "Centro", "dens": "120"}, anillo(LON, LAT, 0.002)),
            ({"cod": "ZR-1", "nom": "Ribera", "dens": "-"}, anillo(LON + 0.002, LAT, 0.002)),
        ],
    )
    salida = StringIO()
    argumentos = [ruta, "--instrumento", "prc", "--nombre-instrumento", "PRC 2015", "--campo-codigo", "cod"]
    call_command(
        "zonas_importar",
        *argumentos,
        "--campo-nombre",
        "nom",
        "--campo-densidad",
        "dens",
        stdout=salida,
        verbosity=0,
    )
    assert (
        "Zonas de «PRC 2015» importadas: 2 zonas (2 nuevas, 0 actualizadas, 0 eliminadas) y 0 usos"
        in salida.getvalue()
    )
    assert dict(Zona.objects.values_list("codigo", "densidad_max_hab_ha")) == {"ZU-1": 120, "ZR-1": None}
    with pytest.raises(CommandError, match="Ya hay 2 zonas .*Use --reemplazar"):
        call_command("zonas_importar", *argumentos, stdout=StringIO(), verbosity=0)
    with pytest.raises(CommandError, match="El campo «altura» \\(altura\\) no existe en el archivo"):
        call_command(
            "zonas_importar",
            *argumentos,
            "--campo-altura",
            "altura",
            "--reemplazar",
            stdout=StringIO(),
            verbosity=0,
        )
    assert Zona.objects.count() == 2
