"""Capas de la base territorial: límite comunal y localidades."""

from apps.comunas.choices import TipoLocalidad
from apps.comunas.models import Comuna, Localidad
from capas.estilos import Estilo, Simbolo
from capas.fuentes import fuente_de_modelo
from capas.registro import Capa, registro

GRUPO = "Base territorial"

registro.registrar(
    Capa(
        nombre="comunas",
        titulo="Límite comunal",
        grupo=GRUPO,
        tipo_geometria="MultiPolygon",
        fuente=fuente_de_modelo(
            Comuna, campo_geom="limite", atributos=("cut", "nombre", "provincia", "region")
        ),
        estilo=Estilo(simbolo=Simbolo(relleno="#ffffff", borde="#1f4e5f", ancho=2.5, opacidad=0.0)),
        publica=True,
    )
)
registro.registrar(
    Capa(
        nombre="localidades",
        titulo="Localidades y sectores",
        grupo=GRUPO,
        tipo_geometria="MultiPoint",
        fuente=fuente_de_modelo(
            Localidad, campo_geom="ubicacion", atributos=("nombre", "tipo", "fuente", "es_demo"), multi=True
        ),
        estilo=Estilo.categorizado("tipo", TipoLocalidad.choices, base=Simbolo(radio=5)),
        publica=True,
        busqueda=('t."nombre"',),
    )
)
