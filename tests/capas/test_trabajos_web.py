"""Página y estado JSON de un trabajo: solo su dueño o un administrador; el sitio aguanta carga hostil."""

import shutil
import threading
import time

import pytest
import requests

from capas.trabajos.models import EstadoTrabajo, Trabajo
from capas.trabajos.services import trabajo_crear


def crear(usuario, **extra) -> Trabajo:
    """Crea un trabajo de importación sin encolarlo, del usuario dado."""
    parametros = {"nombre": "x", "titulo": "x", "categoria": "referencia", "archivo_origen": "a.geojson"}
    return trabajo_crear(
        tipo="importacion", parametros={**parametros, **extra}, usuario=usuario, encolar=False
    )


def test_solo_el_dueno_o_un_administrador_ven_el_trabajo(
    client, planificador, django_user_model, settings, tmp_path
):
    settings.CAPAS_TRABAJOS_DIR = tmp_path
    trabajo = crear(planificador)
    Trabajo.objects.filter(pk=trabajo.pk).update(estado=EstadoTrabajo.EN_CURSO, avance=250, total=1000)
    client.force_login(planificador)
    pagina = client.get(f"/capas/trabajos/{trabajo.pk}/")
    assert pagina.status_code == 200 and 'value="250"' in pagina.content.decode()
    estado = client.get(f"/capas/trabajos/{trabajo.pk}/estado/").json()
    assert (estado["estado"], estado["avance"], estado["total"], estado["porcentaje"]) == (
        "en_curso",
        250,
        1000,
        25,
    )
    assert estado["terminal"] is False

    otro = django_user_model.objects.create_user(username="otra", password="clave-de-prueba-1")
    otro.user_permissions.set(planificador.groups.first().permissions.all())
    client.force_login(otro)
    assert client.get(f"/capas/trabajos/{trabajo.pk}/").status_code == 404
    assert client.get(f"/capas/trabajos/{trabajo.pk}/estado/").status_code == 404
    assert client.get("/capas/trabajos/999999/").status_code == 404

    administrador = django_user_model.objects.create_superuser(username="jefa", password="clave-de-prueba-1")
    client.force_login(administrador)
    assert client.get(f"/capas/trabajos/{trabajo.pk}/estado/").json()["avance"] == 250


def test_trabajo_fallido_muestra_el_motivo_sin_recargar_mas(client, planificador, settings, tmp_path):
    settings.CAPAS_TRABAJOS_DIR = tmp_path
    trabajo = crear(planificador)
    Trabajo.objects.filter(pk=trabajo.pk).update(
        estado=EstadoTrabajo.FALLIDO, error="La importación superó el tiempo máximo de 900 s y se detuvo."
    )
    client.force_login(planificador)
    html = client.get(f"/capas/trabajos/{trabajo.pk}/").content.decode()
    assert f"<h1>Importación de capa n.º {trabajo.pk}</h1>" in html
    assert 'role="alert"' in html and "superó el tiempo máximo de 900 s" in html
    assert 'http-equiv="refresh"' not in html and "Importar otra capa" in html


@pytest.mark.servidor
def test_el_sitio_responde_mientras_tres_trabajos_hostiles_corren(
    servidor, trabajador, comuna, settings, tmp_path, gpkg_sin_fin, tiff_disperso
):
    settings.CAPAS_TRABAJOS_LIMITES = {"importacion": {"tiempo_s": 10}}
    settings.MEDIA_ROOT = tmp_path / "media"
    archivos = [(gpkg_sin_fin, False), (gpkg_sin_fin, False), (tiff_disperso, True)]
    for i, (archivo, es_raster) in enumerate(archivos):

        def preparar(carpeta, archivo=archivo):
            destino = carpeta / f"subida{archivo.suffix}"
            shutil.copyfile(archivo, destino)
            return {"ruta": str(destino)}

        parametros = {
            "nombre": f"hostil-{i}",
            "titulo": "hostil",
            "categoria": "raster" if es_raster else "referencia",
            "confirmar_fuera": True,
            "es_raster": es_raster,
        }
        trabajo_crear(tipo="importacion", parametros=parametros, preparar=preparar, encolar=True)
    hilo = threading.Thread(target=trabajador, kwargs={"concurrencia": 3})
    hilo.start()
    try:
        limite = time.monotonic() + 30
        while Trabajo.objects.filter(estado=EstadoTrabajo.EN_CURSO).count() < 3:
            assert time.monotonic() < limite, "los tres trabajos no llegaron a correr a la vez"
            time.sleep(0.2)
        time.sleep(2)  # los hijos ya están en su bucle sin fin
        demoras = []
        for _ in range(5):
            inicio = time.monotonic()
            respuesta = requests.get(f"{servidor}/salud/", timeout=5)
            demoras.append(time.monotonic() - inicio)
            assert respuesta.status_code == 200
            time.sleep(0.3)
        assert Trabajo.objects.filter(estado=EstadoTrabajo.EN_CURSO).count() == 3
    finally:
        hilo.join(timeout=60)
    assert max(demoras) < 1, demoras
    assert set(Trabajo.objects.values_list("estado", "error")) == {
        (
            EstadoTrabajo.FALLIDO,
            "La importación superó el tiempo máximo de 10 s y se detuvo; no se guardó nada.",
        )
    }
