"""Franja de protección de cauces: capa de restricción «cauces» construida como buffer de una capa de ríos.

La franja se calcula en el SRID métrico de la comuna (``Comuna.srid_metrico``) con una sola sentencia
``INSERT … SELECT`` (ST_Transform → ST_Buffer → recorte → ST_Transform al SRID de almacenamiento) y
queda registrada como una capa importada más (CapaReferencia + ElementoReferencia), todo o nada.
Lo que el buffer deja fuera del límite admisible de la comuna (límite + tolerancia) se recorta, y un
cauce cuya franja queda entera fuera se omite; ambos se anotan en el informe de la capa.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from apps.comunas.models import Comuna
from apps.comunas.selectors import comuna_configurada
from apps.nucleo.formatos import numero, plural, superficie
from capas.auditoria import contexto_auditoria
from capas.importacion.informe import ImportacionRechazada, Informe, Observacion, Progreso
from capas.importacion.validacion import nombre_en_base, validar_nombre
from capas.models import CapaReferencia, ElementoReferencia
from capas.srid import srid_almacenamiento

CATEGORIA = "cauces"
ANCHO_MIN_M = 1.0
ANCHO_MAX_M = 500.0
# Segmentos por cuarto de círculo en los extremos y curvas del buffer (PostGIS usa 8): con 16 el área
# de un extremo redondo difiere del círculo exacto en 0,16 % (1 − 32·sin(π/32)/(2π)).
SEGMENTOS_CUARTO = 16
FORMATO = "Franja de cauces"
TIPOS_ORIGEN = {"MultiLineString": "líneas", "MultiPolygon": "polígonos"}
# Atributos que agrega la franja a cada elemento (con su tipo lógico, capas.fuentes.TIPOS).
CAMPOS_POR_CAUCE = (
    {"nombre": "fid_origen", "tipo": "entero"},
    {"nombre": "ancho_franja_m", "tipo": "decimal"},
)
CAMPOS_DISUELTA = (
    {"nombre": "capa_origen", "tipo": "texto"},
    {"nombre": "n_cauces", "tipo": "entero"},
    {"nombre": "ancho_franja_m", "tipo": "decimal"},
)


@dataclass(frozen=True)
class PeticionFranja:
    """Lo que pide quien crea una franja de cauces: capa de origen, ancho, identidad y forma."""

    origen: str
    nombre: str
    # None: el ancho por omisión (TERRITORIO_FRANJA_CAUCES_M).
    ancho_m: float | None = None
    titulo: str = ""
    disolver: bool = False
    publica: bool = False
    descripcion: str = ""


def ancho_por_omision() -> float:
    """Devuelve el ancho (m) de la franja cuando no se indica otro (TERRITORIO_FRANJA_CAUCES_M)."""
    return float(settings.TERRITORIO_FRANJA_CAUCES_M)


def capas_de_cauces():
    """Devuelve las capas de referencia que pueden dar una franja: las de líneas o polígonos."""
    return CapaReferencia.objects.filter(tipo_geometria__in=list(TIPOS_ORIGEN), n_elementos__gt=0).order_by(
        "titulo"
    )


def _metros(valor) -> str:
    """Devuelve un largo en metros en es-CL, sin decimales de más («30», «12,5»)."""
    return numero(valor, 1).removesuffix(",0")


def validar_ancho(ancho_m) -> float:
    """Devuelve el ancho como número o lanza ImportacionRechazada si está fuera de 1–500 m."""
    try:
        ancho = float(ancho_m)
    except (TypeError, ValueError):
        ancho = float("nan")
    if not ANCHO_MIN_M <= ancho <= ANCHO_MAX_M:
        base = (
            f"El ancho de la franja debe estar entre {_metros(ANCHO_MIN_M)} y {_metros(ANCHO_MAX_M)} m "
            f"(se pidió {_metros(ancho) if math.isfinite(ancho) else ancho_m})"
        )
        raise ImportacionRechazada(
            base + "; corrija el campo «Ancho (m)».", en_orden=base + "; corrija --ancho.", codigo="ancho"
        )
    return ancho


@transaction.atomic
def franja_cauces_crear(
    *, peticion: PeticionFranja, actor=None, progreso: Progreso | None = None
) -> CapaReferencia:
    """Crea la capa «cauces» con el buffer de cada cauce de la capa de origen; si algo falla, no deja nada."""
    ancho = validar_ancho(ancho_por_omision() if peticion.ancho_m is None else peticion.ancho_m)
    validar_nombre(peticion.nombre)
    comuna = comuna_configurada(con_geometrias=False)
    if comuna is None:
        raise ImportacionRechazada(
            "No hay comuna cargada: la franja se calcula en el sistema métrico de la comuna y se recorta a "
            "su límite. Cargue la comuna primero.",
            codigo="sin_comuna",
        )
    origen = _origen(peticion.origen)
    if progreso:
        progreso(0, 1)
    informe = Informe(formato=FORMATO, capa_origen=origen.nombre, srid_origen=comuna.srid_metrico)
    with contexto_auditoria(actor=actor, origen="franja_cauces_crear"):
        with nombre_en_base(peticion.nombre):
            capa = CapaReferencia.objects.create(
                nombre=peticion.nombre,
                titulo=peticion.titulo or f"Franja de cauces de {_metros(ancho)} m — {origen.titulo}",
                categoria=CATEGORIA,
                descripcion=peticion.descripcion,
                cut=comuna.cut,
                tipo_geometria="MultiPolygon",
                srid_origen=comuna.srid_metrico,
                archivo_origen=f"capa «{origen.nombre}»"[:255],
                formato=FORMATO,
                publica=peticion.publica,
                creada_por=actor,
            )
        resultado = _insertar(capa, origen, comuna=comuna, ancho=ancho, disolver=peticion.disolver)
        _anotar(informe, resultado, origen=origen, comuna=comuna, ancho=ancho, disolver=peticion.disolver)
        campos = CAMPOS_DISUELTA if peticion.disolver else (*_campos_de(origen), *CAMPOS_POR_CAUCE)
        capa.campos = [dict(c) for c in campos]
        capa.n_elementos = informe.importados
        capa.informe = {
            **informe.como_dict(),
            "franja": {
                "capa_origen": origen.nombre,
                "titulo_origen": origen.titulo,
                "ancho_m": ancho,
                "disuelta": peticion.disolver,
                "srid_metrico": comuna.srid_metrico,
                "segmentos_cuarto": SEGMENTOS_CUARTO,
                "recortados": resultado["recortados"],
                "area_m2": resultado["area_m2"],
            },
        }
        capa.save(update_fields=["campos", "n_elementos", "informe"])
    if progreso:
        progreso(1, 1)
    return capa


def _origen(nombre: str) -> CapaReferencia:
    """Devuelve la capa de origen o lanza ImportacionRechazada si no existe o no tiene líneas/polígonos."""
    origen = CapaReferencia.objects.filter(nombre=nombre).first()
    if origen is None:
        raise ImportacionRechazada(
            f"No existe una capa de referencia «{nombre}»; elija una capa de ríos o esteros importada.",
            codigo="origen",
        )
    if origen.tipo_geometria not in TIPOS_ORIGEN:
        raise ImportacionRechazada(
            f"La capa «{nombre}» no tiene líneas ni polígonos ({origen.tipo_geometria or 'sin geometría'}): "
            "la franja se construye sobre los ejes de ríos y esteros o sobre polígonos de cauce.",
            codigo="origen_tipo",
        )
    if not ElementoReferencia.objects.filter(capa=origen).exists():
        raise ImportacionRechazada(f"La capa «{nombre}» no tiene elementos.", codigo="origen_vacia")
    return origen


def _campos_de(origen: CapaReferencia) -> list[dict]:
    """Devuelve los campos de la capa de origen que se copian (sin los que la franja reemplaza)."""
    propios = {c["nombre"] for c in CAMPOS_POR_CAUCE}
    return [c for c in origen.campos if c.get("nombre") not in propios]


# Franjas por cauce (fid y atributos de cada elemento) o disuelta en una sola (ST_Collect → buffer:
# el buffer de una colección ya es la unión de los buffers, más barato que unir franjas).
_FRANJAS_POR_CAUCE = """
    SELECT e.fid, 1 AS n,
           e.atributos || jsonb_build_object('fid_origen', e.fid, 'ancho_franja_m', %(ancho)s::float8)
             AS atributos,
           ST_Buffer(ST_Transform(e.geom, %(metrico)s), %(ancho)s, %(estilo)s) AS geom
    FROM {elementos} e WHERE e.capa_id = %(origen)s
"""
_FRANJA_DISUELTA = """
    SELECT 1 AS fid, count(*)::int AS n,
           jsonb_build_object('capa_origen', %(nombre_origen)s::text, 'n_cauces', count(*),
                              'ancho_franja_m', %(ancho)s::float8) AS atributos,
           ST_Buffer(ST_Collect(ST_Transform(e.geom, %(metrico)s)), %(ancho)s, %(estilo)s) AS geom
    FROM {elementos} e WHERE e.capa_id = %(origen)s
"""
# Una sola sentencia: franjas en el SRID métrico, recorte al límite admisible solo donde no cabe
# (ST_CoveredBy evita la intersección en el caso común), inserción en el SRID de almacenamiento y
# el resumen de lo hecho (leídos, insertados, recortados, omitidos y área en m²).
_SQL = """
WITH limite AS (
    SELECT ST_Transform(c.limite_admisible, %(metrico)s) AS geom FROM {comunas} c WHERE c.id = %(comuna)s
), franjas AS ({franjas}
), medidas AS (
    SELECT f.fid, f.n, f.atributos, f.geom, ST_CoveredBy(f.geom, l.geom) AS dentro
    FROM franjas f CROSS JOIN limite l
), recortadas AS (
    SELECT m.fid, m.n, m.atributos, m.dentro,
           CASE WHEN m.dentro THEN m.geom
                ELSE ST_CollectionExtract(ST_Intersection(m.geom, l.geom), 3) END AS geom
    FROM medidas m CROSS JOIN limite l
), insertados AS (
    INSERT INTO {elementos} (capa_id, fid, geom, atributos)
    SELECT %(capa)s, r.fid, ST_Multi(ST_Transform(r.geom, %(almacenamiento)s)), r.atributos
    FROM recortadas r WHERE NOT ST_IsEmpty(r.geom)
    RETURNING fid
)
SELECT coalesce(sum(r.n), 0)::int,
       (SELECT count(*) FROM insertados)::int,
       coalesce(array_agg(r.fid ORDER BY r.fid)
                FILTER (WHERE NOT r.dentro AND NOT ST_IsEmpty(r.geom)), '{{}}'),
       coalesce(array_agg(r.fid ORDER BY r.fid) FILTER (WHERE ST_IsEmpty(r.geom)), '{{}}'),
       coalesce(sum(ST_Area(r.geom)), 0)::float8
FROM recortadas r
"""


def _insertar(capa, origen, *, comuna: Comuna, ancho: float, disolver: bool) -> dict:
    """Inserta las franjas con una sola sentencia y devuelve el resumen de lo insertado."""
    elementos = connection.ops.quote_name(ElementoReferencia._meta.db_table)
    franjas = (_FRANJA_DISUELTA if disolver else _FRANJAS_POR_CAUCE).format(elementos=elementos)
    sql = _SQL.format(
        comunas=connection.ops.quote_name(Comuna._meta.db_table), elementos=elementos, franjas=franjas
    )
    parametros = {
        "metrico": comuna.srid_metrico,
        "almacenamiento": srid_almacenamiento(),
        "ancho": ancho,
        "estilo": f"quad_segs={SEGMENTOS_CUARTO}",
        "origen": origen.pk,
        "nombre_origen": origen.nombre,
        "comuna": comuna.pk,
        "capa": capa.pk,
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, parametros)
            leidos, insertados, recortados, omitidos, area_m2 = cursor.fetchone()
    except IntegrityError as error:
        raise ImportacionRechazada(
            f"La base rechazó la franja de «{origen.nombre}» ({str(error).splitlines()[0]}); no se creó la "
            "capa.",
            codigo="base",
        ) from None
    return {
        "leidos": leidos,
        "insertados": insertados,
        "recortados": list(recortados),
        "omitidos": list(omitidos),
        "area_m2": area_m2,
    }


def _anotar(informe: Informe, resultado: dict, *, origen, comuna, ancho: float, disolver: bool) -> None:
    """Completa el informe con lo insertado, lo recortado y lo omitido; rechaza si no quedó nada."""
    informe.leidos = resultado["leidos"]
    informe.importados = resultado["insertados"]
    fuera = f"queda fuera del límite de la comuna (con su tolerancia de {numero(comuna.tolerancia_m)} m)"
    informe.omitidos = [
        Observacion(fid, f"la franja {fuera}; cauce omitido") for fid in resultado["omitidos"]
    ]
    if not informe.importados:
        que = "La franja" if disolver else "La franja de cada cauce"
        raise ImportacionRechazada(
            f"{que} de «{origen.nombre}» {fuera}: no se creó la capa. ¿Es la capa de ríos correcta?",
            codigo="fuera_de_comuna",
        )
    recortados = resultado["recortados"]
    if recortados:
        lista = ", ".join(str(f) for f in recortados[:20]) + ("…" if len(recortados) > 20 else "")
        sujeto = (
            "La franja disuelta se recortó"
            if disolver
            else f"{plural(len(recortados), 'franja,franjas')} (fid {lista}) se "
            + ("recortó" if len(recortados) == 1 else "recortaron")
        )
        informe.avisos.append(
            f"{sujeto} al límite de la comuna con su tolerancia de {numero(comuna.tolerancia_m)} m: el "
            "ordenamiento solo restringe dentro de la comuna."
        )
    if resultado["omitidos"]:
        n = len(resultado["omitidos"])
        informe.avisos.append(
            f"{plural(n, 'cauce quedó entero,cauces quedaron enteros')} fuera de la comuna y se "
            + ("omitió." if n == 1 else "omitieron.")
        )
    choque = {c["nombre"] for c in CAMPOS_POR_CAUCE} & {c.get("nombre") for c in origen.campos}
    if choque and not disolver:
        informe.avisos.append(
            f"Los campos {', '.join(sorted(choque))} de la capa de origen se reemplazaron por los de "
            "la franja."
        )
    informe.avisos.insert(
        0,
        f"Franja de {_metros(ancho)} m a cada lado de "
        f"{plural(informe.leidos, 'cauce,cauces')} de «{origen.nombre}», calculada en "
        f"EPSG:{comuna.srid_metrico}"
        f"{', disuelta en un solo elemento' if disolver else ''}: {superficie(resultado['area_m2'])}.",
    )
