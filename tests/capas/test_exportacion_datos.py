"""Datos reales para las pruebas de exportación: la demo, una capa del INE y una con todos los tipos.

El fixture ``datos`` (tests/capas/conftest.py) los carga con ``cargar_datos`` de aquí.
"""

from dataclasses import dataclass

import pyogrio
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from apps.comunas.censo import censo_desde_datos_reales
from apps.demo.services import demo_cargar
from capas import categorias
from capas.geometria import a_multi
from capas.models import CapaReferencia, ElementoReferencia
from capas.registro import registro
from capas.srid import reproyectar
from tests.conftest import DATOS_REALES
from tests.factories import CapaReferenciaFactory

LIMITE_URBANO = DATOS_REALES / "ine2017_limite_urbano_r09_araucania.geojson"
CIUDADES = DATOS_REALES / "naturalearth_populated_places_araucania.geojson"
CAPA_CIUDADES = "ciudades-ne"
# Un campo de cada tipo lógico; censo, actualizado y capital se derivan de datos reales del archivo.
CAMPOS_CIUDADES = [
    {"nombre": "NAME_ES", "tipo": "texto"},
    {"nombre": "POP_MAX", "tipo": "entero"},
    {"nombre": "LATITUDE", "tipo": "decimal"},
    {"nombre": "capital", "tipo": "booleano"},
    {"nombre": "censo", "tipo": "fecha"},
    {"nombre": "actualizado", "tipo": "fecha_hora"},
]
# Santa Bárbara (Biobío) queda sin población, fecha ni hora: prueba los nulos de cada tipo.
SIN_DATOS = "Santa Bárbara"
CAPA_INE = "limite-urbano-ine"
CAMPOS_INE = [
    {"nombre": "REGION", "tipo": "texto"},
    {"nombre": "NOM_REGION", "tipo": "texto"},
    {"nombre": "NOM_PROVIN", "tipo": "texto"},
    {"nombre": "COMUNA", "tipo": "texto"},
    {"nombre": "NOM_COMUNA", "tipo": "texto"},
    {"nombre": "URBANO", "tipo": "texto"},
    {"nombre": "TIPO", "tipo": "texto"},
    {"nombre": "NOM_CATEG", "tipo": "texto"},
    {"nombre": "SHAPE_Area", "tipo": "decimal"},
]
# Fid de archivo desplazado: prueba que el fid exportado es el de la fuente, no un correlativo.
DESPLAZAMIENTO_FID = 1000


@dataclass
class Datos:
    """Lo cargado para una prueba: capas (todas las del registro) y las dos importadas."""

    capas: list
    capa_ine: CapaReferencia
    capa_ciudades: CapaReferencia


def cargar_limite_urbano(*, publica: bool = False) -> CapaReferencia:
    """Crea la capa de referencia del límite urbano INE 2017 (52 polígonos, EPSG:4674) con GEOS."""
    meta, _fids, geometrias, valores = pyogrio.raw.read(LIMITE_URBANO)
    indices = {nombre: i for i, nombre in enumerate(meta["fields"])}
    capa = CapaReferenciaFactory(
        nombre=CAPA_INE,
        titulo="Límites urbanos INE 2017 (Araucanía)",
        categoria=categorias.LIMITE,
        descripcion="Límites urbanos censales; Hualpín figura como GUALPÍN.",
        campos=CAMPOS_INE,
        srid_origen=4674,
        archivo_origen=LIMITE_URBANO.name,
        n_elementos=len(geometrias),
        publica=publica,
    )
    elementos = []
    for i, wkb in enumerate(geometrias):
        geom = a_multi(reproyectar(GEOSGeometry(memoryview(wkb), srid=4674), 4326))
        atributos = {c["nombre"]: _valor_json(valores[indices[c["nombre"]]][i]) for c in CAMPOS_INE}
        elementos.append(
            ElementoReferencia(capa=capa, fid=DESPLAZAMIENTO_FID + i, geom=geom, atributos=atributos)
        )
    ElementoReferencia.objects.bulk_create(elementos)
    return capa


def cargar_ciudades() -> CapaReferencia:
    """Crea la capa de referencia de 11 ciudades de Natural Earth con un atributo de cada tipo."""
    meta, _fids, geometrias, valores = pyogrio.raw.read(CIUDADES)
    columna = {nombre: valores[i] for i, nombre in enumerate(meta["fields"])}
    capa = CapaReferenciaFactory(
        nombre=CAPA_CIUDADES,
        titulo="Ciudades (Natural Earth)",
        tipo_geometria="MultiPoint",
        campos=CAMPOS_CIUDADES,
        archivo_origen=CIUDADES.name,
        n_elementos=len(geometrias),
    )
    elementos = []
    for i, wkb in enumerate(geometrias):
        nombre = columna["NAME_ES"][i]
        atributos = {
            "NAME_ES": nombre,
            "LATITUDE": float(columna["LATITUDE"][i]),
            "capital": columna["FEATURECLA"][i] == "Admin-1 capital",
        }
        if nombre != SIN_DATOS:
            atributos |= {
                "POP_MAX": int(columna["POP_MAX"][i]),
                "censo": "2017-04-19",
                "actualizado": "2024-03-01T09:30:00-03:00",
            }
        geom = a_multi(GEOSGeometry(memoryview(wkb), srid=4326))
        elementos.append(ElementoReferencia(capa=capa, fid=i + 1, geom=geom, atributos=atributos))
    ElementoReferencia.objects.bulk_create(elementos)
    return capa


def _valor_json(valor):
    """Devuelve el valor leído por pyogrio como valor JSON (texto o número)."""
    return valor.item() if hasattr(valor, "item") else valor


def filas_de_bd(nombre: str) -> dict[int, dict]:
    """Devuelve {fid: atributos} de una capa leídos de la base con la fuente del registro."""
    fuente = registro.obtener(nombre, todas=True).fuente
    sql, parametros = fuente.seleccion(columnas=f"{fuente.pk}, {fuente.columnas_atributos()}")
    with connection.cursor() as cursor:
        cursor.execute(sql, parametros)
        nombres = [d.name for d in cursor.description][1:]
        return {fila[0]: dict(zip(nombres, fila[1:], strict=True)) for fila in cursor.fetchall()}


def cargar_datos(comuna) -> Datos:
    """Carga la demo en Teodoro Schmidt, sus sectores censales (mapas temáticos) y las dos capas
    importadas; devuelve las del registro."""
    demo_cargar(comuna=comuna)
    censo_desde_datos_reales(comuna=comuna)
    capa_ine = cargar_limite_urbano()
    capa_ciudades = cargar_ciudades()
    return Datos(capas=registro.todas(todas=True), capa_ine=capa_ine, capa_ciudades=capa_ciudades)


def test_los_datos_de_prueba_tienen_todas_las_capas_con_elementos(datos):
    conteos = {c.nombre: len(filas_de_bd(c.nombre)) for c in datos.capas}
    assert conteos == {
        "comunas": 1,
        "localidades": 4,  # el sector de la demo, las 2 zonas urbanas censales y el resto rural
        "inversion-sectores": 3,
        "inversion-por-habitante": 3,
        "proyectos-puntos": 4,
        "proyectos-lineas": 3,
        "proyectos-areas": 3,
        "inmuebles": 6,
        "activos": 6,
        "concesiones": 4,
        "propuestas-uso-suelo": 3,
        "zonificacion": 2,
        "demo-inundacion": 1,  # restricciones de la demo (capas importadas del motor)
        "demo-remocion": 1,
        CAPA_INE: 52,
        CAPA_CIUDADES: 11,
    }
    gualpin = [f for f in filas_de_bd(CAPA_INE).values() if f["URBANO"] == "GUALPÍN"]
    assert gualpin[0]["NOM_REGION"] == "REGIÓN DE LA ARAUCANÍA"
    ciudades = {f["NAME_ES"]: f for f in filas_de_bd(CAPA_CIUDADES).values()}
    assert ciudades["Temuco"]["capital"] is True
    assert ciudades["Temuco"]["POP_MAX"] == 265901
    assert ciudades["Temuco"]["actualizado"].isoformat() == "2024-03-01T12:30:00+00:00"
    assert ciudades[SIN_DATOS]["POP_MAX"] is None and ciudades[SIN_DATOS]["censo"] is None
