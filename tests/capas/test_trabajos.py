"""Trabajos acotados: avance real, tope de tiempo con archivos hostiles sin dejar nada, conserje y orden."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from capas.models import CapaRaster, CapaReferencia, ElementoReferencia
from capas.trabajos.conserje import conserje_correr
from capas.trabajos.ejecucion import trabajo_ejecutar
from capas.trabajos.models import EstadoTrabajo, Trabajo
from capas.trabajos.services import trabajo_crear
from tests.conftest import manage_en_proceso

LIMITE_S = 6
MENSAJE_LIMITE = f"La importación superó el tiempo máximo de {LIMITE_S} s y se detuvo; no se guardó nada."


def parametros(nombre: str, **extra) -> dict:
    """Devuelve los parámetros de una importación de prueba."""
    return {
        "nombre": nombre,
        "titulo": nombre,
        "categoria": "referencia",
        "confirmar_fuera": True,
        "es_raster": False,
        **extra,
    }


def copiar_a(origen: Path):
    """Devuelve un ``preparar`` que copia ``origen`` a la carpeta del trabajo, como la subida web."""

    def preparar(carpeta: Path) -> dict:
        destino = carpeta / f"subida{origen.suffix}"
        shutil.copyfile(origen, destino)
        return {"ruta": str(destino), "archivo_origen": origen.name}

    return preparar


def sesiones_del_trabajo() -> int:
    """Cuenta sesiones de la base de pruebas que un hijo dejó vivas o en una transacción ociosa."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
            " AND (state LIKE 'idle in transaction%%' OR application_name LIKE 'territorio-trabajo-%%')"
        )
        return cursor.fetchone()[0]


def sin_restos(media: Path, trabajos: Path, temporales: set) -> None:
    """Verifica que no quedaron filas, archivos, carpetas, temporales ni sesiones."""
    assert CapaReferencia.objects.count() == 0 and ElementoReferencia.objects.count() == 0
    assert CapaRaster.objects.count() == 0
    assert [p for p in media.rglob("*") if p.is_file()] == []
    assert not trabajos.exists() or list(trabajos.iterdir()) == []
    assert set(Path(tempfile.gettempdir()).glob("territorio-importar-*")) == temporales
    assert sesiones_del_trabajo() == 0


@pytest.fixture
def limite_corto(settings, tmp_path):
    """Fija un tope de tiempo corto para las importaciones y un MEDIA_ROOT propio."""
    settings.CAPAS_TRABAJOS_LIMITES = {"importacion": {"tiempo_s": LIMITE_S}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings


def test_el_avance_real_llega_por_lotes_y_queda_en_el_trabajo(trabajador, comuna, tmp_path):
    puntos = [
        {
            "type": "Feature",
            "properties": {"n": i},
            "geometry": {
                "type": "Point",
                "coordinates": [-73.2 + (i % 70) * 0.002, -39.0 + (i // 70) * 0.002],
            },
        }
        for i in range(3500)
    ]
    archivo = tmp_path / "puntos.geojson"
    archivo.write_text(json.dumps({"type": "FeatureCollection", "features": puntos}))
    trabajo = trabajo_crear(
        tipo="importacion", parametros=parametros("puntos"), preparar=copiar_a(archivo), encolar=False
    )
    avances = []
    trabajo = trabajo_ejecutar(trabajo.pk, progreso=lambda hechos, total: avances.append((hechos, total)))
    assert trabajo.estado == EstadoTrabajo.TERMINADO, trabajo.error
    assert avances == [(1000, 3500), (2000, 3500), (3000, 3500), (3500, 3500)]
    assert (trabajo.avance, trabajo.total, trabajo.porcentaje) == (3500, 3500, 100)
    capa = CapaReferencia.objects.get(nombre="puntos")
    assert trabajo.resultado == {"capas": [{"clase": "vectorial", "id": capa.pk, "nombre": "puntos"}]}
    assert capa.n_elementos == 3500 and not Path(trabajo.carpeta).exists()
    assert trabajo.iniciado <= trabajo.terminado and trabajo.pid == os.getpid()


def test_gpkg_con_vista_recursiva_sin_fin_se_detiene_al_limite_sin_dejar_nada(
    trabajador, comuna, limite_corto, gpkg_sin_fin
):
    temporales = set(Path(tempfile.gettempdir()).glob("territorio-importar-*"))
    trabajo = trabajo_crear(
        tipo="importacion", parametros=parametros("sin-fin"), preparar=copiar_a(gpkg_sin_fin), encolar=True
    )
    inicio = time.monotonic()
    trabajador()
    duracion = time.monotonic() - inicio
    trabajo.refresh_from_db()
    assert (trabajo.estado, trabajo.error) == (EstadoTrabajo.FALLIDO, MENSAJE_LIMITE)
    assert trabajo.resultado == {"motivo": "tiempo"}
    assert LIMITE_S <= duracion < LIMITE_S + 15
    sin_restos(limite_corto.MEDIA_ROOT, Path(limite_corto.CAPAS_TRABAJOS_DIR), temporales)


def test_tiff_disperso_enorme_se_detiene_al_limite_sin_dejar_archivos(
    trabajador, comuna, limite_corto, tiff_disperso
):
    assert tiff_disperso.stat().st_size < 40_000
    temporales = set(Path(tempfile.gettempdir()).glob("territorio-importar-*"))
    trabajo = trabajo_crear(
        tipo="importacion",
        parametros=parametros("disperso", categoria="raster", es_raster=True),
        preparar=copiar_a(tiff_disperso),
        encolar=True,
    )
    trabajador()
    trabajo.refresh_from_db()
    assert (trabajo.estado, trabajo.error) == (EstadoTrabajo.FALLIDO, MENSAJE_LIMITE)
    sin_restos(limite_corto.MEDIA_ROOT, Path(limite_corto.CAPAS_TRABAJOS_DIR), temporales)


def test_al_detenerse_el_trabajador_el_hijo_muere_y_no_queda_nada(
    trabajador, comuna, limite_corto, gpkg_sin_fin
):
    trabajo = trabajo_crear(
        tipo="importacion", parametros=parametros("sin-fin"), preparar=copiar_a(gpkg_sin_fin), encolar=False
    )
    inicio = time.monotonic()
    trabajo = trabajo_ejecutar(trabajo.pk, debe_detenerse=lambda: time.monotonic() - inicio > 3)
    assert time.monotonic() - inicio < LIMITE_S
    assert trabajo.estado == EstadoTrabajo.FALLIDO and trabajo.resultado == {"motivo": "detenido"}
    assert trabajo.error.startswith("La importación se interrumpió antes de terminar")
    sin_restos(limite_corto.MEDIA_ROOT, Path(limite_corto.CAPAS_TRABAJOS_DIR), set())


def test_limpieza_borra_el_geotiff_que_dejo_un_hijo_muerto_antes_de_confirmar(trabajador, limite_corto):
    from capas.importacion.trabajo import limpiar

    rasters = limite_corto.MEDIA_ROOT / "rasters"
    rasters.mkdir()
    (rasters / "dem.tif").write_bytes(b"a medias")
    (rasters / ".dem.tif.parcial").write_bytes(b"a medias")
    (rasters / "otro.tif").write_bytes(b"de otra capa")
    limpiar({"nombre": "dem", "es_raster": True}, time.time() - 3600)
    assert (rasters / "dem.tif").exists()  # más nuevo que la muerte del hijo: no es suyo
    limpiar({"nombre": "dem", "es_raster": True}, time.time())
    limpiar({"nombre": "../otro", "es_raster": True}, time.time())
    assert sorted(p.name for p in rasters.iterdir()) == ["otro.tif"]


def test_conserje_falla_trabajos_muertos_y_borra_carpetas_y_temporales_viejos(
    trabajador, settings, tmp_path, monkeypatch
):
    viejo = Path(tempfile.gettempdir()) / "territorio-importar-viejo"
    reciente = Path(tempfile.gettempdir()) / "territorio-importar-reciente"
    ajeno = Path(tempfile.gettempdir()) / "otro-programa"
    for ruta in (viejo, reciente, ajeno):
        ruta.mkdir()
        (ruta / "subida.gpkg").write_bytes(b"x" * 1000)
    hace_dos_horas = time.time() - 7200
    os.utime(viejo, (hace_dos_horas, hace_dos_horas))
    os.utime(ajeno, (hace_dos_horas, hace_dos_horas))

    muerto = subprocess.Popen(["true"])
    muerto.wait()
    huerfano = trabajo_crear(tipo="importacion", parametros=parametros("huerfano"), encolar=False)
    Trabajo.objects.filter(pk=huerfano.pk).update(
        estado=EstadoTrabajo.EN_CURSO, equipo=socket.gethostname(), pid=muerto.pid, latido=timezone.now()
    )
    sin_latido = trabajo_crear(tipo="importacion", parametros=parametros("sin-latido"), encolar=False)
    Trabajo.objects.filter(pk=sin_latido.pk).update(
        estado=EstadoTrabajo.EN_CURSO,
        equipo="otro-equipo",
        pid=1,
        latido=timezone.now() - timedelta(minutes=10),
    )
    vivo = trabajo_crear(tipo="importacion", parametros=parametros("vivo"), encolar=False)
    Trabajo.objects.filter(pk=vivo.pk).update(
        estado=EstadoTrabajo.EN_CURSO, equipo=socket.gethostname(), pid=os.getpid(), latido=timezone.now()
    )
    sin_cola = trabajo_crear(tipo="importacion", parametros=parametros("sin-cola"), encolar=False)
    Trabajo.objects.filter(pk=sin_cola.pk).update(creado=timezone.now() - timedelta(hours=1))
    for trabajo in (huerfano, sin_latido, vivo, sin_cola):
        os.utime(trabajo.carpeta, (hace_dos_horas, hace_dos_horas))

    limpieza = conserje_correr()

    assert sorted(limpieza.trabajos) == sorted([huerfano.pk, sin_latido.pk, sin_cola.pk])
    for trabajo in (huerfano, sin_latido, sin_cola):
        trabajo.refresh_from_db()
        assert trabajo.estado == EstadoTrabajo.FALLIDO
        assert (
            trabajo.error == "La importación se interrumpió porque su proceso se detuvo; no se guardó nada."
        )
        assert not Path(trabajo.carpeta).exists()
    vivo.refresh_from_db()
    assert vivo.estado == EstadoTrabajo.EN_CURSO and Path(vivo.carpeta).is_dir()
    assert not viejo.exists() and reciente.is_dir() and ajeno.is_dir()


def test_orden_muestra_el_error_del_limite_y_sale_distinto_de_cero(
    transactional_db, gpkg_sin_fin, monkeypatch, tmp_path
):
    monkeypatch.setenv("CAPAS_TRABAJOS_TIEMPO_S", "5")
    monkeypatch.setenv("CAPAS_TRABAJOS_DIR", str(tmp_path / "trabajos"))
    inicio = time.monotonic()
    resultado = manage_en_proceso("capas_importar", gpkg_sin_fin, "--nombre", "sin-fin", "--confirmar-fuera")
    assert time.monotonic() - inicio < 30
    assert resultado.returncode == 1
    assert "La importación superó el tiempo máximo de 5 s y se detuvo; no se guardó nada." in resultado.stderr
    assert "Traceback" not in resultado.stderr
    assert CapaReferencia.objects.count() == 0 and list((tmp_path / "trabajos").iterdir()) == []
    assert sesiones_del_trabajo() == 0


def test_orden_de_huerfanos_lista_y_borra_carpetas_de_trabajos_terminados(trabajador, settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    terminado = trabajo_crear(tipo="importacion", parametros=parametros("listo"), encolar=False)
    Trabajo.objects.filter(pk=terminado.pk).update(estado=EstadoTrabajo.TERMINADO)
    pendiente = trabajo_crear(tipo="importacion", parametros=parametros("espera"), encolar=False)
    hace_dos_horas = time.time() - 7200
    for trabajo in (terminado, pendiente):
        os.utime(trabajo.carpeta, (hace_dos_horas, hace_dos_horas))
    settings.MEDIA_ROOT = tmp_path / "media"

    salida = StringIO()
    call_command("capas_huerfanos", stdout=salida)
    assert salida.getvalue().splitlines() == [
        terminado.carpeta,
        "Sin dueño: 0 archivos ráster, 1 carpetas de trabajo y 0 temporales.",
    ]
    assert Path(terminado.carpeta).is_dir()
    call_command("capas_huerfanos", "--borrar", stdout=StringIO())
    assert not Path(terminado.carpeta).exists() and Path(pendiente.carpeta).is_dir()
