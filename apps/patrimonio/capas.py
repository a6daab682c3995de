"""Capas del patrimonio municipal."""

from apps.patrimonio import choices
from apps.patrimonio.models import Activo, BienInmueble, Concesion
from capas.estilos import Estilo, Simbolo
from capas.fuentes import fuente_de_modelo, permiso_de_ver
from capas.registro import Capa, registro

GRUPO = "Patrimonio municipal"

registro.registrar(
    Capa(
        nombre="inmuebles",
        titulo="Bienes inmuebles municipales",
        grupo=GRUPO,
        tipo_geometria="MultiPolygon",
        fuente=fuente_de_modelo(
            BienInmueble,
            campo_geom="geom",
            atributos=(
                "nombre",
                "rol_manzana",
                "rol_predio",
                "destino",
                "tenencia",
                "estado_saneamiento",
                "superficie_m2",
                "cbr_fojas",
                "cbr_numero",
                "cbr_anio",
                "es_demo",
            ),
        ),
        estilo=Estilo.categorizado(
            "estado_saneamiento",
            choices.EstadoSaneamiento.choices,
            paleta=("#2ca02c", "#ff7f0e", "#d62728"),
        ),
        permiso=permiso_de_ver(BienInmueble),
    )
)
registro.registrar(
    Capa(
        nombre="activos",
        titulo="Activos municipales",
        grupo=GRUPO,
        tipo_geometria="MultiPoint",
        fuente=fuente_de_modelo(
            Activo, campo_geom="ubicacion", atributos=("nombre", "tipo", "inmueble", "es_demo"), multi=True
        ),
        estilo=Estilo.categorizado("tipo", choices.TipoActivo.choices, base=Simbolo(radio=6)),
        permiso=permiso_de_ver(Activo),
    )
)
registro.registrar(
    Capa(
        nombre="concesiones",
        titulo="Concesiones, arriendos y comodatos",
        grupo=GRUPO,
        tipo_geometria="MultiPolygon",
        fuente=fuente_de_modelo(
            Concesion,
            campo_geom="geom",
            atributos=(
                "tipo",
                "titular_nombre",
                "titular_rut",
                "fecha_inicio",
                "fecha_termino",
                "canon_clp",
                "estado",
                "activo",
                "es_demo",
            ),
        ),
        estilo=Estilo.categorizado("tipo", choices.TipoConcesion.choices),
        permiso=permiso_de_ver(Concesion),
    )
)
