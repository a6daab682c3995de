"""Capas de proyectos de inversión: una por tipo de geometría, coloreadas por etapa, con sus filtros.

«Inversión» de un proyecto (filtro de monto y mapas temáticos): el monto aprobado o, si aún no lo
tiene, el solicitado. «Año»: el del registro del proyecto en Territorio (``creado``, hora de Chile),
porque el modelo no guarda una fecha de postulación.
"""

from django.conf import settings

from apps.proyectos import tematicos  # noqa: F401  (registra los mapas temáticos)
from apps.proyectos.choices import Etapa, Institucion
from apps.proyectos.models import FuenteFinanciamiento, Proyecto
from capas.estilos import Estilo, Simbolo
from capas.filtros import Filtro
from capas.fuentes import fuente_de_modelo, literal_sql, permiso_de_ver
from capas.geometria import tipo_simple
from capas.registro import Capa, registro

GRUPO = "Proyectos de inversión"
ATRIBUTOS = (
    "codigo_bip",
    "codigo_licitacion",
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
INVERSION = 'COALESCE(t."monto_aprobado", t."monto_solicitado")'


def _fuentes():
    """Devuelve las fuentes de financiamiento (id, nombre) para el filtro de fuente."""
    return FuenteFinanciamiento.objects.order_by("nombre").values_list("pk", "nombre")


FILTROS = (
    Filtro("etapa", "Etapa", "opciones", 't."etapa"', opciones=tuple(Etapa.choices)),
    Filtro("fuente", "Fuente de financiamiento", "opciones", 't."fuente_id"', opciones_de=_fuentes),
    Filtro("institucion", "Institución", "opciones", 't."institucion"', opciones=tuple(Institucion.choices)),
    Filtro(
        "anio",
        "Año de registro",
        "rango",
        f'EXTRACT(YEAR FROM t."creado" AT TIME ZONE {literal_sql(settings.TIME_ZONE)})',
    ),
    Filtro("monto", "Inversión (CLP)", "rango", INVERSION),
)
BUSQUEDA = ('t."nombre"', 't."codigo_bip"', 't."codigo_licitacion"')

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
            enlace="proyectos:ficha",
            filtros=FILTROS,
            busqueda=BUSQUEDA,
        )
    )
