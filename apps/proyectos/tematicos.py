"""Mapas temáticos de inversión: coropletas por localidad o sector con su población del Censo 2017.

Cada sector es una ``Localidad`` con ``area`` (las zonas urbanas censales y el resto rural que carga
``localidades_censo_cargar``). Su inversión es la suma, sobre los proyectos cuyo punto interior
(``ST_PointOnSurface`` de su ubicación) cae en el área, del monto aprobado o, si aún no lo tiene,
del solicitado: un camino que cruza dos sectores cuenta una sola vez, en el de su punto interior.
La inversión por habitante es esa suma dividida por la población del sector, redondeada al peso
(sin población conocida queda nula y se dibuja con el símbolo base).
"""

from apps.comunas.models import Localidad
from apps.proyectos.models import Proyecto
from capas.estilos import Estilo
from capas.fuentes import Atributo, FuenteSQL, permiso_de_ver
from capas.registro import Capa, registro

GRUPO = "Mapas temáticos"
PROYECTOS = Proyecto._meta.db_table
INVERSION = (
    'COALESCE((SELECT sum(COALESCE(p."monto_aprobado", p."monto_solicitado")) '
    f'FROM "{PROYECTOS}" p WHERE p."geom" && t."area" '
    'AND ST_Covers(t."area", ST_PointOnSurface(p."geom"))), 0)'
)
N_PROYECTOS = (
    f'(SELECT count(*) FROM "{PROYECTOS}" p WHERE p."geom" && t."area" '
    'AND ST_Covers(t."area", ST_PointOnSurface(p."geom")))'
)
POR_HABITANTE = (
    f'(CASE WHEN t."poblacion" > 0 THEN round(({INVERSION})::numeric / t."poblacion")::bigint END)'
)

FUENTE = FuenteSQL(
    tabla=f'"{Localidad._meta.db_table}"',
    pk='t."id"',
    geom='t."area"',
    atributos=(
        Atributo("nombre", 't."nombre"', "texto", "Localidad o sector"),
        Atributo("poblacion", 't."poblacion"', "entero", "Población (Censo 2017)"),
        Atributo("inversion", INVERSION, "entero", "Inversión (CLP)"),
        Atributo("inversion_por_habitante", POR_HABITANTE, "entero", "Inversión por habitante (CLP)"),
        # «n_proyectos», no «proyectos»: ese nombre es la relación inversa Localidad.proyectos y las
        # vistas de QGIS (apps/nucleo/bd/qgis_vistas.py) lo leerían como un campo del modelo.
        Atributo("n_proyectos", N_PROYECTOS, "entero", "Proyectos"),
    ),
    filtro='t."area" IS NOT NULL',
)
CORTES_CLP = (0, 100_000_000, 500_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000)
CORTES_POR_HABITANTE = (0, 10_000, 50_000, 100_000, 250_000, 500_000)

# (capa, título, campo graduado, cortes, descripción)
TEMATICOS = (
    (
        "inversion-sectores",
        "Inversión por localidad o sector (CLP)",
        "inversion",
        CORTES_CLP,
        "Suma del monto aprobado (o solicitado si aún no hay aprobado) de los proyectos cuyo punto "
        "interior cae en cada zona urbana censal o en el resto rural de la comuna.",
    ),
    (
        "inversion-por-habitante",
        "Inversión por habitante (CLP, Censo 2017)",
        "inversion_por_habitante",
        CORTES_POR_HABITANTE,
        "Inversión del sector dividida por su población del Censo 2017 (INE), redondeada al peso.",
    ),
)

for nombre, titulo, campo, cortes, descripcion in TEMATICOS:
    registro.registrar(
        Capa(
            nombre=nombre,
            titulo=titulo,
            grupo=GRUPO,
            tipo_geometria="MultiPolygon",
            fuente=FUENTE,
            estilo=Estilo.graduado(campo, cortes),
            descripcion=descripcion,
            permiso=permiso_de_ver(Proyecto),
            visible=False,
        )
    )
