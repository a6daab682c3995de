"""Servicio de importación de capas vectoriales: todo o nada, con informe por elemento.

Un archivo con varias capas (GeoPackage, KML con carpetas) se importa de a una capa por
CapaReferencia: ``capa_gpkg`` elige cuál, o ``capas_importar_todas`` las importa todas en una sola
transacción, cada una con el identificador ``<nombre>-<capa>``.
"""

import logging

import shapely
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSGeometry, MultiLineString, MultiPoint, MultiPolygon
from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify

from capas.auditoria import contexto_auditoria
from capas.geometria import a_multi, a_srid_almacenamiento, motivo_invalidez
from capas.importacion.informe import ImportacionRechazada, Informe, Observacion, Progreso, lineas
from capas.importacion.lectores import CAMPOS_LIBKML, MULTICAPA, LectorVectorial, capas_de
from capas.importacion.seguridad import Entrada, directorio_temporal, preparar_entrada
from capas.importacion.validacion import (
    extension_en_almacenamiento,
    nombre_en_base,
    resolver_srid,
    validar_categoria,
    validar_nombre,
    verificar_entorno,
)
from capas.models import CapaReferencia, ElementoReferencia
from capas.srid import reproyectar, srid_metrico_de

logger = logging.getLogger(__name__)

TAMANO_LOTE = 1000
# Familia de cada tipo simple → su tipo Multi* (una capa guarda una sola familia).
_FAMILIAS = {
    "Point": "MultiPoint",
    "MultiPoint": "MultiPoint",
    "LineString": "MultiLineString",
    "LinearRing": "MultiLineString",
    "MultiLineString": "MultiLineString",
    "Polygon": "MultiPolygon",
    "MultiPolygon": "MultiPolygon",
}
_CLASES_MULTI = {"MultiPoint": MultiPoint, "MultiLineString": MultiLineString, "MultiPolygon": MultiPolygon}
_NOMBRES_FAMILIA = {"MultiPoint": "puntos", "MultiLineString": "líneas", "MultiPolygon": "polígonos"}


@transaction.atomic
def capa_importar(
    *,
    ruta,
    nombre: str,
    titulo: str,
    categoria: str,
    srid: int | None = None,
    reparar: bool = False,
    confirmar_fuera: bool = False,
    capa_gpkg: str | None = None,
    descripcion: str = "",
    publica: bool = False,
    archivo_origen: str | None = None,
    actor=None,
    progreso: Progreso | None = None,
) -> CapaReferencia:
    """Importa una capa vectorial como CapaReferencia; ante cualquier rechazo no deja nada escrito."""
    validar_nombre(nombre)
    validar_categoria(categoria)
    with directorio_temporal() as temporal:
        entrada = preparar_entrada(ruta, temporal, nombre=archivo_origen)
        if entrada.es_raster:
            raise ImportacionRechazada(
                "El archivo es un ráster: impórtelo como capa ráster.", codigo="formato"
            )
        return _importar_capa(
            entrada,
            capa_gpkg,
            nombre=nombre,
            titulo=titulo,
            categoria=categoria,
            srid=srid,
            reparar=reparar,
            confirmar_fuera=confirmar_fuera,
            descripcion=descripcion,
            publica=publica,
            actor=actor,
            progreso=progreso,
        )


@transaction.atomic
def capas_importar_todas(
    *,
    ruta,
    nombre: str,
    titulo: str,
    categoria: str,
    srid: int | None = None,
    reparar: bool = False,
    confirmar_fuera: bool = False,
    publica: bool = False,
    actor=None,
    progreso: Progreso | None = None,
) -> list[CapaReferencia]:
    """Importa cada capa del archivo como ``<nombre>-<capa>``; si una falla, no queda ninguna."""
    with directorio_temporal() as temporal:
        entrada = preparar_entrada(ruta, temporal)
        if entrada.es_raster:
            raise ImportacionRechazada(
                "El archivo es un ráster: impórtelo como capa ráster.", codigo="formato"
            )
        importadas = []
        origenes = capas_de(entrada.ruta) if entrada.controlador in MULTICAPA else [None]
        for capa_origen in origenes:
            identificador = f"{nombre}-{slugify(capa_origen)}"[:63].rstrip("-_") if capa_origen else nombre
            validar_nombre(identificador)
            try:
                importadas.append(
                    _importar_capa(
                        entrada,
                        capa_origen,
                        nombre=identificador,
                        titulo=f"{titulo} — {capa_origen}" if capa_origen else titulo,
                        categoria=categoria,
                        srid=srid,
                        reparar=reparar,
                        confirmar_fuera=confirmar_fuera,
                        descripcion="",
                        publica=publica,
                        actor=actor,
                        progreso=progreso,
                    )
                )
            except ImportacionRechazada as error:
                error.anteponer(f"Capa «{capa_origen}»: ")
                raise
        return importadas


def _importar_capa(entrada: Entrada, capa_origen: str | None, *, progreso, **datos) -> CapaReferencia:
    """Lee, valida e inserta una capa; lanza ImportacionRechazada (y la transacción se revierte).

    El nombre ya lo validaron ``capa_importar`` y ``capas_importar_todas`` (este, uno por capa).
    """
    validar_categoria(datos["categoria"])
    lector = LectorVectorial(entrada, capa=capa_origen)
    srid, declarado = resolver_srid(lector.crs, datos["srid"])
    informe = Informe(
        formato=lector.controlador,
        capa_origen=lector.capa or "",
        srid_origen=srid,
        srid_declarado_en_archivo=declarado,
        codificacion=lector.codificacion,
        avisos=list(entrada.avisos),
    )
    if declarado and declarado != srid:
        informe.avisos.append(
            f"Se usó EPSG:{srid}, indicado al importar, en vez del declarado EPSG:{declarado}."
        )
    if lector.limites is None or lector.total == 0:
        raise ImportacionRechazada("La capa no tiene elementos con geometría.", codigo="vacia")
    extension = extension_en_almacenamiento(tuple(lector.limites), srid)
    aviso = verificar_entorno(extension, srid=srid, confirmar_fuera=datos["confirmar_fuera"])
    if aviso:
        informe.avisos.append(aviso)
    with contexto_auditoria(actor=datos["actor"], origen="capa_importar"):
        with nombre_en_base(datos["nombre"]):
            capa = CapaReferencia.objects.create(
                nombre=datos["nombre"],
                titulo=datos["titulo"],
                categoria=datos["categoria"],
                descripcion=datos["descripcion"],
                tipo_geometria="",
                srid_origen=srid,
                archivo_origen=entrada.origen[:255],
                formato=lector.controlador,
                publica=datos["publica"],
                creada_por=datos["actor"],
            )
        familias = _insertar(
            capa, lector, srid=srid, reparar=datos["reparar"], informe=informe, progreso=progreso
        )
        _verificar_resultado(informe, familias, reparar=datos["reparar"])
        campos = _campos_con_valor(capa, lector)
        _anotar_renombrados(informe, lector, campos)
        capa.tipo_geometria = next(iter(familias))
        capa.campos = [{"nombre": c.nombre, "tipo": c.tipo} for c in campos]
        capa.n_elementos = informe.importados
        capa.informe = informe.como_dict()
        capa.save(update_fields=["tipo_geometria", "campos", "n_elementos", "informe"])
    return capa


def _insertar(capa, lector: LectorVectorial, *, srid: int, reparar: bool, informe: Informe, progreso) -> dict:
    """Inserta los elementos válidos por lotes; anota el resto en el informe. Devuelve familias→n."""
    familias: dict[str, int] = {}
    fids = _Fids()
    for lote in lector.lotes(TAMANO_LOTE):
        formas = shapely.from_wkb(lote.wkbs, on_invalid="ignore")
        elementos = []
        for fid_origen, wkb, forma, fila in zip(lote.fids, lote.wkbs, formas, lote.filas, strict=True):
            informe.leidos += 1
            fid = fids(fid_origen)
            geom = geometria_de_elemento(fid, wkb, forma, srid=srid, reparar=reparar, informe=informe)
            if geom is None:
                continue
            familias[geom.geom_type] = familias.get(geom.geom_type, 0) + 1
            elementos.append(ElementoReferencia(capa=capa, fid=fid, geom=geom, atributos=fila))
        if not informe.invalidos:
            # Con un inválido la importación ya fracasó: se sigue leyendo solo para listarlos todos.
            try:
                ElementoReferencia.objects.bulk_create(elementos, batch_size=TAMANO_LOTE)
            except IntegrityError as error:
                logger.warning("La base rechazó elementos de %s: %s", capa.nombre, error)
                raise ImportacionRechazada("La base rechazó elementos de la capa.", codigo="base")
            informe.importados += len(elementos)
        if progreso:
            progreso(informe.leidos, lector.total)
    return familias


class _Fids:
    """Asigna fids: el de origen si sirve (entero ≥ 0, único, cabe en la columna); si no, uno libre."""

    def __init__(self):
        self.usados: set[int] = set()
        self.tope = 0

    def __call__(self, fid) -> int:
        """Devuelve el fid a guardar para el fid de origen ``fid``."""
        if not isinstance(fid, int) or not 0 <= fid < 2**31 or fid in self.usados:
            fid = self.tope + 1
            while fid in self.usados:
                fid += 1
        self.usados.add(fid)
        self.tope = max(self.tope, fid)
        return fid


def geometria_de_elemento(
    fid, wkb, forma, *, srid: int, reparar: bool, informe: Informe
) -> GEOSGeometry | None:
    """Devuelve la geometría Multi* en 4326 lista para guardar, o None (anotando el motivo).

    Pública para los importadores del dominio (p. ej. la zonificación) que leen con este motor.
    """
    if wkb is None or (forma is not None and shapely.is_empty(forma)):
        informe.omitidos.append(Observacion(fid, "sin geometría (elemento omitido)"))
        return None
    if forma is None:
        informe.invalidos.append(Observacion(fid, "geometría ilegible (¿curvas u otro tipo no soportado?)"))
        return None
    familia, forma = _familia(shapely.force_2d(forma))
    if familia is None:
        informe.invalidos.append(Observacion(fid, "colección que mezcla puntos, líneas y/o polígonos"))
        return None
    try:
        geom = a_srid_almacenamiento(GEOSGeometry(memoryview(shapely.to_wkb(forma)), srid=srid))
    except GDALException:
        informe.invalidos.append(Observacion(fid, f"no se pudo transformar desde EPSG:{srid}"))
        return None
    geom = a_multi(geom)
    motivo = motivo_invalidez(geom)
    if motivo is None:
        return geom
    if not reparar:
        informe.invalidos.append(Observacion(fid, motivo))
        return None
    reparada, cambio = _reparar(geom, familia)
    if reparada is None:
        informe.invalidos.append(
            Observacion(fid, motivo, "la reparación no dejó geometría del tipo de la capa")
        )
        return None
    informe.reparados.append(Observacion(fid, motivo, cambio))
    return reparada


def _familia(forma) -> tuple[str | None, object]:
    """Devuelve (tipo Multi*, forma) y convierte una colección de una sola familia en ese Multi*."""
    tipo = shapely.get_type_id(forma)
    if tipo != shapely.GeometryType.GEOMETRYCOLLECTION:
        return _FAMILIAS.get(forma.geom_type), forma
    partes = shapely.get_parts(_aplanar(forma))
    familias = {_FAMILIAS.get(p.geom_type) for p in partes}
    if len(familias) != 1 or None in familias:
        return None, forma
    familia = familias.pop()
    return familia, getattr(shapely, familia)(list(shapely.get_parts(partes)))


def _aplanar(forma):
    """Devuelve una colección plana con las partes simples (las colecciones anidadas se abren)."""
    partes = []
    for parte in shapely.get_parts(forma):
        partes.extend(
            shapely.get_parts(_aplanar(parte)) if parte.geom_type == "GeometryCollection" else [parte]
        )
    return shapely.GeometryCollection(partes)


def _reparar(geom: GEOSGeometry, familia: str) -> tuple[GEOSGeometry | None, str]:
    """Repara con MakeValid y conserva solo la familia de la capa; devuelve (geometría, qué cambió)."""
    todas = _partes(geom.make_valid())
    partes = [p for p in todas if _FAMILIAS.get(p.geom_type) == familia]
    descartadas = len(todas) - len(partes)
    if not partes:
        return None, ""
    resultado = _CLASES_MULTI[familia](*partes, srid=geom.srid)
    if not resultado.valid:
        resultado = a_multi(resultado.unary_union)
    antes, despues = _medida(geom, familia), _medida(resultado, familia)
    cambio = f"reparada con MakeValid: {_cuenta(resultado.num_geom, 'parte', 'partes')}, {antes} → {despues}"
    if descartadas:
        verbo = "descartó" if descartadas == 1 else "descartaron"
        cambio += (
            f"; se {verbo} {_cuenta(descartadas, 'parte', 'partes')} de otro tipo "
            "(p. ej. líneas o puntos sueltos)"
        )
    return resultado, cambio


def _cuenta(n: int, singular: str, plural: str) -> str:
    """Devuelve «1 parte» o «2 partes» (capas no importa apps.nucleo.formatos)."""
    return f"{n} {singular if n == 1 else plural}"


def _partes(geom: GEOSGeometry) -> list[GEOSGeometry]:
    """Devuelve las partes simples de una geometría (ella misma si es simple)."""
    if geom.geom_type in ("Point", "LineString", "Polygon", "LinearRing"):
        return [geom]
    return [p for g in geom for p in _partes(g)]


def _medida(geom: GEOSGeometry, familia: str) -> str:
    """Devuelve el área (m²) o el largo (m) medidos en el UTM del lugar, o los puntos."""
    if familia == "MultiPoint":
        return _cuenta(geom.num_geom, "punto", "puntos")
    metrica = reproyectar(geom, srid_metrico_de(geom))
    if familia == "MultiPolygon":
        return f"{metrica.area:,.0f} m²".replace(",", ".")
    return f"{metrica.length:,.0f} m".replace(",", ".")


def _verificar_resultado(informe: Informe, familias: dict[str, int], *, reparar: bool) -> None:
    """Rechaza si hubo elementos inválidos, si no quedó ninguno o si la capa mezcla tipos."""
    if informe.invalidos:
        n = len(informe.invalidos)
        que = "tiene geometría inválida" if n == 1 else "tienen geometrías inválidas"
        base = f"{n} de {informe.leidos} elementos {que}; no se importó nada."
        web = orden = base
        if not reparar:
            web += " Corrija el archivo o marque «Reparar geometrías inválidas» en el formulario."
            orden += " Corrija el archivo o importe pidiendo reparación (--reparar)."
        raise ImportacionRechazada(
            web, en_orden=orden, detalles=lineas(informe.invalidos), codigo="geometrias_invalidas"
        )
    if not familias:
        raise ImportacionRechazada("La capa no tiene elementos con geometría.", codigo="vacia")
    if len(familias) > 1:
        detalle = ", ".join(f"{n} {_NOMBRES_FAMILIA[f]}" for f, n in sorted(familias.items()))
        raise ImportacionRechazada(
            f"La capa mezcla tipos de geometría ({detalle}); una capa debe tener un solo tipo. Sepárela en "
            "una capa por tipo.",
            codigo="tipos_mezclados",
        )


def _campos_con_valor(capa: CapaReferencia, lector: LectorVectorial) -> list:
    """Devuelve los campos a publicar: en KML se quitan los técnicos de LIBKML que vinieron vacíos."""
    if lector.controlador not in ("KML", "LIBKML"):
        return lector.campos
    vacios = [
        c.nombre for c in lector.campos if c.original in CAMPOS_LIBKML and c.nombre not in lector.con_valor
    ]
    if vacios:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ElementoReferencia._meta.db_table} SET atributos = atributos - %s::text[] "
                "WHERE capa_id = %s",
                [vacios, capa.pk],
            )
    return [c for c in lector.campos if c.nombre not in vacios]


def _anotar_renombrados(informe: Informe, lector: LectorVectorial, campos: list) -> None:
    """Anota en el informe cada campo publicado cuyo nombre se normalizó al importar."""
    publicados = {c.nombre for c in campos}
    informe.campos_renombrados = [r for r in lector.renombrados() if r["nombre"] in publicados]
    for renombre in informe.campos_renombrados:
        informe.avisos.append(f"El campo «{renombre['original']}» se importó como «{renombre['nombre']}».")
