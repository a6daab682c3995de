"""Capas de proyectos de inversión: una por tipo de geometría, coloreadas por etapa."""

from apps.proyectos.choices import Etapa
from apps.proyectos.models import Proyecto
from capas.estilos import Estilo, Simbolo
from capas.fuentes import fuente_de_modelo, permiso_de_ver
from capas.geometria import tipo_simple
from capas.registro import Capa, registro

GRUPO = "Proyectos de inversión"
ATRIBUTOS = (
    "codigo_bip",
    "nombre",
    "tipologia",
    "etapa",
    "institucion",
    "fuente",
    "monto_solicitado",
    "monto_aprobado",
    "es_demo",
)
# GeoPackage y QGIS esperan un tipo por capa: la ubicación de un proyecto puede ser punto, línea o área.
FORMAS = (
    ("proyectos-puntos", "Proyectos (puntos)", "MultiPoint"),
    ("proyectos-lineas", "Proyectos (líneas)", "MultiLineString"),
    ("proyectos-areas", "Proyectos (áreas)", "MultiPolygon"),
)

for nombre, titulo, tipo in FORMAS:
    simple = tipo_simple(tipo)
    registro.registrar(
        Capa(
            nombre=nombre,
            titulo=titulo,
            grupo=GRUPO,
            tipo_geometria=tipo,
            fuente=fuente_de_modelo(
                Proyecto,
                campo_geom="geom",
                atributos=ATRIBUTOS,
                filtro=f"GeometryType(t.geom) IN ('{simple}', 'MULTI{simple}')",
                multi=True,
            ),
            estilo=Estilo.categorizado(
                "etapa", Etapa.choices, base=Simbolo(radio=6), lineas=simple == "LINESTRING"
            ),
            permiso=permiso_de_ver(Proyecto),
        )
    )
