"""Capas del patrimonio municipal, con sus filtros y búsqueda.

La **situación** de una concesión es la misma que en las páginas (``Concesion.situacion`` y
``selectors.concesiones_con_situacion``), calculada aquí en SQL contra la fecha de hoy en la hora de
Chile (``CURRENT_DATE`` de la base, pero en ``TIME_ZONE``: la sesión de Django está en UTC y a las
22:00 de Chile ya sería mañana): una terminada o caducada lo es por su estado; una otorgada está
«vencida» si su término ya pasó, «por vencer» si termina dentro de
``TERRITORIO_CONCESION_DIAS_POR_VENCER`` días (hoy incluido) y «vigente» si no (también las de plazo
indefinido). Una prueba compara esta expresión con la del selector.
"""

from dataclasses import replace

from django.conf import settings

from apps.patrimonio import choices
from apps.patrimonio.models import Activo, BienInmueble, Concesion
from capas.estilos import Estilo, Simbolo
from capas.filtros import Filtro
from capas.fuentes import Atributo, fuente_de_modelo, literal_sql, permiso_de_ver
from capas.registro import Capa, registro

GRUPO = "Patrimonio municipal"
DIAS_POR_VENCER = int(settings.TERRITORIO_CONCESION_DIAS_POR_VENCER)
HOY = f"(CURRENT_TIMESTAMP AT TIME ZONE {literal_sql(settings.TIME_ZONE)})::date"
_S = {v: literal_sql(v) for v in choices.Situacion.values}
SITUACION = (
    f'CASE WHEN t."estado" <> {literal_sql(choices.EstadoConcesion.VIGENTE.value)} THEN t."estado" '
    f'WHEN t."fecha_termino" < {HOY} THEN {_S["vencida"]} '
    f'WHEN t."fecha_termino" <= {HOY} + {DIAS_POR_VENCER} THEN {_S["por_vencer"]} '
    f"ELSE {_S['vigente']} END"
)
ROL_SII = 't."rol_manzana"::text || \'-\' || t."rol_predio"::text'

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
        enlace="patrimonio:inmueble_ficha",
        filtros=(
            Filtro(
                "saneamiento",
                "Estado de saneamiento",
                "opciones",
                't."estado_saneamiento"',
                opciones=tuple(choices.EstadoSaneamiento.choices),
            ),
            Filtro("destino", "Destino", "opciones", 't."destino"', opciones=tuple(choices.Destino.choices)),
        ),
        busqueda=('t."nombre"', ROL_SII, 't."direccion"'),
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
        enlace="patrimonio:activo_ficha",
        busqueda=('t."nombre"',),
    )
)
CONCESIONES = fuente_de_modelo(
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
)
# La situación calculada también es un atributo: el popup y la tabla dicen «Por vencer».
CONCESIONES = replace(
    CONCESIONES,
    atributos=(
        *CONCESIONES.atributos,
        Atributo("situacion", SITUACION, "texto", "Situación", opciones=tuple(choices.Situacion.choices)),
    ),
)
registro.registrar(
    Capa(
        nombre="concesiones",
        titulo="Concesiones, arriendos y comodatos",
        grupo=GRUPO,
        tipo_geometria="MultiPolygon",
        fuente=CONCESIONES,
        estilo=Estilo.categorizado("tipo", choices.TipoConcesion.choices),
        permiso=permiso_de_ver(Concesion),
        enlace="patrimonio:concesion_ficha",
        filtros=(
            Filtro(
                "tipo_concesion",
                "Tipo de cesión",
                "opciones",
                't."tipo"',
                opciones=tuple(choices.TipoConcesion.choices),
            ),
            Filtro(
                "situacion",
                "Situación",
                "opciones",
                SITUACION,
                opciones=tuple(choices.Situacion.choices),
            ),
            Filtro(
                "estado_concesion",
                "Estado",
                "opciones",
                't."estado"',
                opciones=tuple(choices.EstadoConcesion.choices),
            ),
        ),
        busqueda=('t."titular_nombre"', 't."titular_rut"'),
    )
)
