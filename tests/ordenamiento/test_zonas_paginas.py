"""Páginas de la zonificación: lista, ficha, edición con versión, usos por zona y permisos por rol."""

import csv
import io
import json

import pytest

from apps.nucleo.concurrencia import ConflictoEdicion
from apps.ordenamiento.models import UsoZona, Zona
from apps.ordenamiento.zonas.services import usos_zona_guardar, zona_actualizar
from tests.factories import CENTRO

LON, LAT = CENTRO


def _usos_post(zona, condiciones: dict, version=None, **extra) -> dict:
    """Devuelve el POST del formset de usos: una fila por uso del catálogo (vacía = sin norma)."""
    from apps.ordenamiento.choices import UsoSuelo

    datos = {"usos-TOTAL_FORMS": "6", "usos-INITIAL_FORMS": "6", "version": version or zona.version}
    for i, uso in enumerate(UsoSuelo.values):
        datos[f"usos-{i}-uso"] = uso
        datos[f"usos-{i}-condicion"] = condiciones.get(uso, "")
        datos[f"usos-{i}-observacion"] = ""
    return {**datos, **extra}


def test_lista_filtra_por_uso_permitido_y_exporta(client, planificador, zona):
    usos_zona_guardar(
        zona=zona,
        usos=[{"uso": "residencial", "condicion": "permitido"}],
        version=zona.version,
        actor=planificador,
    )
    client.force_login(planificador)
    html = client.get("/ordenamiento/zonas/").content.decode()
    assert "1 zona<" in html and "ZU-1" in html and "PRC Teodoro Schmidt 2015" in html
    assert "0 zonas" in client.get("/ordenamiento/zonas/", {"permite": "productivo"}).content.decode()
    archivo = client.get("/ordenamiento/zonas/exportar/", {"formato": "csv", "permite": "residencial"})
    (fila,) = csv.DictReader(io.StringIO(archivo.content.decode("utf-8-sig")), delimiter=";")
    # 0,002° × 0,002° a 39° S ≈ 3,85 ha; 120 hab/ha; un uso permitido.
    assert (fila["Código"], fila["Densidad máx. (hab/ha)"], fila["Usos permitidos"]) == ("ZU-1", "120", "1")
    assert 3.8 < float(fila["Superficie"].replace(",", ".")) < 3.9


def test_ficha_muestra_normas_y_usos_por_etiqueta(client, planificador, zona):
    UsoZona.objects.create(zona=zona, uso="equipamiento", condicion="condicionado", observacion="Solo culto")
    client.force_login(planificador)
    html = client.get(f"/ordenamiento/zonas/{zona.pk}/").content.decode()
    assert "Zona urbana central" in html and "Plan Regulador Comunal" in html
    assert '<span class="badge text-bg-warning">Condicionado</span>' in html and "Solo culto" in html
    assert html.count("Sin norma") == 5
    assert f'href="/ordenamiento/zonas/{zona.pk}/usos/"' in html and "s=zonificacion:" in html


def test_crear_zona_dibujada_con_coma_decimal_y_rango_validado(client, planificador, comuna):
    client.force_login(planificador)
    anillo = [[LON, LAT], [LON + 0.001, LAT], [LON + 0.001, LAT + 0.001], [LON, LAT]]
    datos = {
        "instrumento": "prc",
        "nombre_instrumento": "PRC 2015",
        "codigo": "ZE-2",
        "nombre": "Equipamiento",
        "ocupacion_suelo": "1,5",
        "geom": json.dumps({"type": "Polygon", "coordinates": [anillo]}),
    }
    respuesta = client.post("/ordenamiento/zonas/nuevo/", datos)
    assert respuesta.status_code == 200
    assert "Es una fracción del predio: de 0 a 1." in respuesta.content.decode()
    respuesta = client.post("/ordenamiento/zonas/nuevo/", {**datos, "ocupacion_suelo": "0,45"})
    zona = Zona.objects.get()
    assert respuesta["Location"] == f"/ordenamiento/zonas/{zona.pk}/"
    assert (zona.ocupacion_suelo, zona.comuna, zona.version) == (0.45, comuna, 1)


def test_editar_con_version_vieja_es_conflicto(client, planificador, zona):
    zona_actualizar(
        instancia=zona, datos={"nombre": "Centro histórico"}, version=zona.version, actor=planificador
    )
    with pytest.raises(ConflictoEdicion):
        zona_actualizar(instancia=zona, datos={"nombre": "Otro"}, version=zona.version, actor=planificador)
    client.force_login(planificador)
    respuesta = client.post(f"/ordenamiento/zonas/{zona.pk}/eliminar/", {"version": zona.version})
    assert respuesta.status_code == 409 and Zona.objects.filter(pk=zona.pk).exists()


def test_formset_de_usos_guarda_todo_o_nada_con_version(client, planificador, zona):
    client.force_login(planificador)
    pagina = client.get(f"/ordenamiento/zonas/{zona.pk}/usos/").content.decode()
    assert (
        pagina.count('<option value="" selected>Sin norma</option>') == 6
        and "Actividades productivas" in pagina
    )
    # Observación sin condición: error en su fila, nada guardado.
    datos = _usos_post(zona, {"residencial": "permitido"}, **{"usos-1-observacion": "Solo salud"})
    respuesta = client.post(f"/ordenamiento/zonas/{zona.pk}/usos/", datos)
    assert (
        respuesta.status_code == 400
        and "Elija la condición del uso que lleva la observación." in respuesta.content.decode()
    )
    assert UsoZona.objects.count() == 0
    respuesta = client.post(
        f"/ordenamiento/zonas/{zona.pk}/usos/",
        _usos_post(zona, {"residencial": "permitido", "productivo": "prohibido"}),
    )
    assert respuesta.status_code == 302
    assert dict(zona.usos.values_list("uso", "condicion")) == {
        "residencial": "permitido",
        "productivo": "prohibido",
    }
    # Con la versión que se abrió antes de guardar: conflicto (409) y los usos no cambian.
    respuesta = client.post(
        f"/ordenamiento/zonas/{zona.pk}/usos/",
        _usos_post(zona, {"residencial": "prohibido"}, version=zona.version),
    )
    assert respuesta.status_code == 409 and "planificadora" in respuesta.content.decode()
    assert zona.usos.get(uso="residencial").condicion == "permitido"
    # Quitar un uso lo deja sin norma; el historial anota quién.
    zona.refresh_from_db()
    client.post(f"/ordenamiento/zonas/{zona.pk}/usos/", _usos_post(zona, {"residencial": "condicionado"}))
    assert dict(zona.usos.values_list("uso", "condicion")) == {"residencial": "condicionado"}


def test_consulta_solo_ve(client, consulta, zona):
    client.force_login(consulta)
    assert client.get("/ordenamiento/zonas/").status_code == 200
    html = client.get(f"/ordenamiento/zonas/{zona.pk}/").content.decode()
    assert "Editar usos" not in html
    for url in (
        "/ordenamiento/zonas/nuevo/",
        f"/ordenamiento/zonas/{zona.pk}/editar/",
        f"/ordenamiento/zonas/{zona.pk}/eliminar/",
        f"/ordenamiento/zonas/{zona.pk}/usos/",
        "/ordenamiento/zonas/importar/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/ordenamiento/zonas/{zona.pk}/usos/", _usos_post(zona, {})).status_code == 403


def test_menu_ordenamiento_segun_rol(client, planificador, consulta, comuna):
    client.force_login(planificador)
    html = client.get("/ordenamiento/zonas/").content.decode()
    assert 'href="/ordenamiento/zonas/importar/">Importar zonificación' in html
    client.force_login(consulta)
    html = client.get("/ordenamiento/zonas/").content.decode()
    assert 'href="/ordenamiento/zonas/">Zonificación' in html and "Importar zonificación" not in html


def test_la_base_respalda_las_reglas_de_la_zona(zona):
    from django.db import IntegrityError, transaction

    from tests.factories import cuadrado

    for campo, valor in (("ocupacion_suelo", 1.2), ("antejardin_m", -3), ("geom", cuadrado(-72.60, -38.74))):
        with pytest.raises(IntegrityError), transaction.atomic():
            Zona.objects.filter(pk=zona.pk).update(**{campo: valor})
    with pytest.raises(IntegrityError), transaction.atomic():
        UsoZona.objects.bulk_create([UsoZona(zona=zona, uso="residencial", condicion="permitido")] * 2)
