"""Capas de restricción importadas con el motor: todas las categorías elegibles y capas reales.

Las capas de referencia pueden exceder la comuna: el motor solo exige que la extensión de la capa
toque la comuna ampliada en CAPAS_ENTORNO_M (20 km por omisión) y no recorta sus elementos. Las
unidades SNASPE y los humedales urbanos de La Araucanía caen todos fuera de Teodoro Schmidt y se
importan completos; el informe de superposición los alcanza solo por distancia.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.ordenamiento.cauces.services import PeticionFranja, franja_cauces_crear
from apps.ordenamiento.restricciones import POR_CATEGORIA, RESTRICCIONES, es_restriccion
from capas import categorias
from capas.importacion.forms import FormularioImportacion
from capas.importacion.informe import ImportacionRechazada
from capas.importacion.vectorial import capa_importar
from capas.models import CapaReferencia
from tests.conftest import DATOS_REALES

SNASPE = DATOS_REALES / "conaf_snaspe_araucania.geojson"
HUMEDALES = DATOS_REALES / "mma_humedales_urbanos_araucania.geojson"
DEL_MOTOR = ["referencia", "limite", "cuenca", "predial", "raster"]
DE_RESTRICCION = [
    "area_protegida",
    "sitio_prioritario",
    "humedal",
    "inundacion",
    "tsunami",
    "remocion",
    "comunidad_indigena",
    "cauces",
    "utilidad_publica",
]


def test_importacion_ofrece_las_categorias_del_motor_y_las_de_restriccion():
    assert categorias.valores() == DEL_MOTOR + DE_RESTRICCION
    assert [r.valor for r in RESTRICCIONES] == DE_RESTRICCION
    formulario = FormularioImportacion()
    opciones = dict(formulario.fields["categoria"].choices)
    assert list(opciones) == DEL_MOTOR + DE_RESTRICCION
    assert opciones["humedal"] == "Humedal (Ley 21.202)"
    assert opciones["cauces"] == "Franja de protección de cauces"
    assert (
        dict(CapaReferencia._meta.get_field("categoria").choices)["area_protegida"]
        == "Área protegida (SNASPE)"
    )
    assert not es_restriccion("referencia") and all(es_restriccion(v) for v in DE_RESTRICCION)


def test_formulario_de_importacion_acepta_humedal_y_rechaza_una_inventada(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def formulario(categoria):
        archivo = SimpleUploadedFile("humedales.geojson", HUMEDALES.read_bytes())
        datos = {"nombre": "humedales", "titulo": "Humedales", "categoria": categoria}
        return FormularioImportacion(datos, {"archivo": archivo})

    assert formulario("humedal").is_valid()
    invalido = formulario("pantano")
    assert not invalido.is_valid()
    assert "Escoja una opción válida" in invalido.errors["categoria"][0]


def _intersectan(capa, comuna) -> tuple[int, int]:
    """Devuelve cuántos elementos tocan el límite comunal y cuántos el límite admisible."""
    elementos = capa.elementos
    return (
        elementos.filter(geom__intersects=comuna.limite).count(),
        elementos.filter(geom__intersects=comuna.limite_admisible).count(),
    )


@pytest.mark.django_db(transaction=True)
def test_snaspe_real_como_area_protegida_por_la_orden_excede_la_comuna(comuna):
    salida = StringIO()
    call_command(
        "capas_importar",
        SNASPE,
        "--nombre",
        "snaspe",
        "--categoria",
        "area_protegida",
        stdout=salida,
        verbosity=0,
    )
    assert "Capa «snaspe» importada: 23 elementos (MultiPolygon) desde EPSG:4326" in salida.getvalue()
    capa = CapaReferencia.objects.get(nombre="snaspe")
    assert (capa.categoria, POR_CATEGORIA[capa.categoria].categoria.etiqueta) == (
        "area_protegida",
        "Área protegida (SNASPE)",
    )
    # Ninguna unidad toca la comuna, pero la capa toca su entorno de 20 km: se importa entera, sin aviso.
    assert _intersectan(capa, comuna) == (0, 0)
    assert capa.informe["avisos"] == [] and capa.informe["n_omitidos"] == 0
    nombres = set(capa.elementos.values_list("atributos__nombre", flat=True))
    assert {"P.N Nahuelbuta", "M.N Cerro Ñielol", "R.N Villarrica", "M.N Contulmo"} <= nombres


def test_humedales_urbanos_reales_como_humedal_exceden_la_comuna(comuna, planificador):
    capa = capa_importar(
        ruta=HUMEDALES,
        nombre="humedales-urbanos",
        titulo="Humedales urbanos",
        categoria="humedal",
        actor=planificador,
    )
    assert (capa.categoria, capa.n_elementos, capa.tipo_geometria) == ("humedal", 9, "MultiPolygon")
    assert _intersectan(capa, comuna) == (0, 0)
    assert capa.informe["avisos"] == []
    assert "Laguna Temuco" in set(capa.elementos.values_list("atributos__nombre_humedal", flat=True))


def test_con_entorno_chico_la_capa_lejana_exige_confirmacion(comuna, settings):
    settings.CAPAS_ENTORNO_M = 1000.0
    with pytest.raises(ImportacionRechazada) as rechazo:
        capa_importar(ruta=HUMEDALES, nombre="humedales", titulo="Humedales", categoria="humedal")
    assert rechazo.value.codigo == "fuera_de_comuna"
    assert not CapaReferencia.objects.exists()
    capa = capa_importar(
        ruta=HUMEDALES, nombre="humedales", titulo="Humedales", categoria="humedal", confirmar_fuera=True
    )
    assert capa.n_elementos == 9
    assert capa.informe["avisos"] == [
        "La capa no toca la comuna ni su entorno de 1 km; se importó porque el usuario lo confirmó."
    ]


def test_franja_sobre_poligonos_reales_fuera_de_la_comuna_se_rechaza(comuna):
    capa_importar(ruta=HUMEDALES, nombre="humedales", titulo="Humedales", categoria="humedal")
    with pytest.raises(ImportacionRechazada, match="La franja de cada cauce de «humedales» queda fuera"):
        franja_cauces_crear(
            peticion=PeticionFranja(origen="humedales", nombre="franja-humedales", ancho_m=50)
        )
    assert list(CapaReferencia.objects.values_list("nombre", flat=True)) == ["humedales"]
