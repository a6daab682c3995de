"""Capas del ordenamiento territorial."""

from apps.ordenamiento.choices import EstadoPropuesta, InstrumentoPlanificacion
from apps.ordenamiento.models import PropuestaUsoSuelo, Zona
from apps.ordenamiento.restricciones import registrar_categorias
from capas.estilos import Estilo, Simbolo
from capas.filtros import Filtro
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


def _codigos_de_zona():
    """Devuelve los códigos de zona cargados (para el filtro del visor), como (valor, etiqueta)."""
    return [(c, c) for c in Zona.objects.order_by("codigo").values_list("codigo", flat=True).distinct()]


registro.registrar(
    Capa(
        nombre="zonificacion",
        titulo="Zonificación (PRC, PRI, seccional)",
        grupo="Ordenamiento territorial",
        tipo_geometria="MultiPolygon",
        fuente=fuente_de_modelo(
            Zona,
            campo_geom="geom",
            atributos=("codigo", "nombre", "instrumento", "nombre_instrumento", "es_demo"),
        ),
        estilo=Estilo.categorizado(
            "instrumento",
            InstrumentoPlanificacion.choices,
            base=Simbolo(relleno="#ffffff", borde="#444444", ancho=1.0, opacidad=0.35),
            paleta=("#fdae61", "#abd9e9", "#d7b5d8"),
        ),
        permiso=permiso_de_ver(Zona),
        enlace="ordenamiento:zona_ficha",
        visible=False,
        filtros=(
            Filtro(
                "instrumento",
                "Instrumento",
                "opciones",
                't."instrumento"',
                opciones=tuple(InstrumentoPlanificacion.choices),
            ),
            Filtro("codigo", "Código de zona", "opciones", 't."codigo"', opciones_de=_codigos_de_zona),
        ),
        busqueda=('t."codigo" || \' \' || t."nombre"', 't."codigo"', 't."nombre"'),
    )
)
