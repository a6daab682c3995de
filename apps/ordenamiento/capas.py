"""Capas del ordenamiento territorial."""

from apps.ordenamiento.choices import EstadoPropuesta
from apps.ordenamiento.models import PropuestaUsoSuelo
from apps.ordenamiento.restricciones import registrar_categorias
from capas.estilos import Estilo
from capas.fuentes import fuente_de_modelo, permiso_de_ver
from capas.registro import Capa, registro

registrar_categorias()
registro.registrar(
    Capa(
        nombre="propuestas-uso-suelo",
        titulo="Propuestas de uso de suelo",
        grupo="Ordenamiento territorial",
        tipo_geometria="MultiPolygon",
        fuente=fuente_de_modelo(
            PropuestaUsoSuelo, campo_geom="geom", atributos=("nombre", "uso_propuesto", "estado", "es_demo")
        ),
        estilo=Estilo.categorizado("estado", EstadoPropuesta.choices),
        permiso=permiso_de_ver(PropuestaUsoSuelo),
        enlace="ordenamiento:propuesta_ficha",
        busqueda=('t."nombre"',),
    )
)
