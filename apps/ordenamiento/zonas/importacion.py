"""Importación de la zonificación desde un archivo con mapeo de campos (y una tabla de normas): todo o nada.

Lee con los lectores endurecidos del motor (capas.importacion: zip seguro, un controlador GDAL por
extensión, reproyección y validez con motivo y lugar). Cada problema —geometría inválida, zona fuera
de la comuna, código repetido, cifra ilegible, campo que no existe— se anota con su elemento; si hay
uno solo, no se escribe nada.
"""

from dataclasses import dataclass, field

import shapely
from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.comunas.models import Comuna
from apps.nucleo.auditoria import contexto_auditoria
from apps.ordenamiento.choices import InstrumentoPlanificacion
from apps.ordenamiento.models import UsoZona, Zona
from apps.ordenamiento.zonas import normativa
from apps.ordenamiento.zonas.pedido import Mapeo, PedidoZonas
from capas.geometria import a_multi
from capas.importacion.informe import MAX_DETALLES, ImportacionRechazada, Informe, Progreso
from capas.importacion.lectores import LectorVectorial
from capas.importacion.seguridad import directorio_temporal, preparar_entrada
from capas.importacion.validacion import resolver_srid
from capas.importacion.vectorial import TAMANO_LOTE, geometria_de_elemento

# Norma del mapeo → (campo de Zona, cómo se unen varias filas de la tabla de un mismo código): de los
# topes se toma el mayor y de las exigencias mínimas la menor (lo más que la zona admite).
NORMAS = {
    "densidad": ("densidad_max_hab_ha", max),
    "altura": ("altura_max_m", max),
    "constructibilidad": ("constructibilidad", max),
    "ocupacion": ("ocupacion_suelo", max),
    "superficie_predial": ("superficie_predial_minima_m2", min),
    "antejardin": ("antejardin_m", min),
}
USOS = {"uso_permitido": "permitido", "uso_condicionado": "condicionado", "uso_prohibido": "prohibido"}
__all__ = ["Mapeo", "PedidoZonas", "zonas_importar"]


@dataclass
class _Leida:
    """Una zona leída del archivo: sus elementos (fid), polígonos y atributos."""

    codigo: str
    fids: list[int] = field(default_factory=list)
    geoms: list = field(default_factory=list)
    filas: list[dict] = field(default_factory=list)


class _Problemas(list):
    """Lista de problemas (texto por elemento) que rechaza la importación al final si no está vacía."""

    def rechazar_si_hay(self, leidos: int) -> None:
        """Lanza ImportacionRechazada con los problemas, si los hay."""
        if not self:
            return
        que = "problema" if len(self) == 1 else "problemas"
        detalles = self[:MAX_DETALLES] + (
            [f"… y {len(self) - MAX_DETALLES} más"] if len(self) > MAX_DETALLES else []
        )
        raise ImportacionRechazada(
            f"{len(self)} {que} en {leidos} elementos leídos; no se importó nada.",
            detalles=detalles,
            codigo="zonas",
        )


@transaction.atomic
def zonas_importar(pedido: PedidoZonas, *, actor=None, progreso: Progreso | None = None) -> dict:
    """Importa (o, con ``reemplazar``, sincroniza) las zonas de un instrumento; devuelve el resumen."""
    if pedido.instrumento not in InstrumentoPlanificacion.values:
        raise ImportacionRechazada(f"«{pedido.instrumento}» no es un instrumento (prc, pri o seccional).")
    comuna = Comuna.objects.get(pk=pedido.comuna_id)
    columnas, tabla = (
        normativa.tabla_leer(pedido.tabla, nombre=pedido.tabla_origen) if pedido.tabla else ([], [])
    )
    problemas = _Problemas()
    with directorio_temporal() as temporal:
        entrada = preparar_entrada(pedido.ruta, temporal, nombre=pedido.archivo_origen or None)
        if entrada.es_raster:
            raise ImportacionRechazada(
                "El archivo es un ráster: la zonificación son polígonos.", codigo="formato"
            )
        lector = LectorVectorial(entrada, capa=pedido.capa or None)
        srid, _declarado = resolver_srid(lector.crs, pedido.srid)
        if lector.total == 0:
            raise ImportacionRechazada("El archivo no tiene elementos con geometría.", codigo="vacia")
        leidas, origen, informe = _leer(
            lector, pedido, columnas, srid=srid, problemas=problemas, progreso=progreso
        )
    avisos = list(entrada.avisos)
    zonas = _armar(leidas, pedido, comuna, origen, tabla, problemas=problemas, avisos=avisos)
    problemas.rechazar_si_hay(informe.leidos)
    resumen = _escribir(zonas, pedido, comuna, actor=actor)
    return {**resumen, "elementos": informe.leidos, "srid_origen": srid, "avisos": avisos}


def _origenes(mapeo: Mapeo, campos: list, columnas: list[str]) -> dict[str, tuple[str, str]]:
    """Devuelve {dato: ("archivo"|"tabla", nombre)}; rechaza un mapeo a un campo que no existe."""
    en_archivo = {c.original: c.nombre for c in campos} | {c.nombre: c.nombre for c in campos}
    lista_archivo = ", ".join(c.nombre for c in campos) or "ninguno"
    if mapeo.codigo not in en_archivo:
        raise ImportacionRechazada(
            f"El campo del código «{mapeo.codigo}» no existe en el archivo (campos: {lista_archivo}).",
            codigo="mapeo",
        )
    origen = {"codigo": ("archivo", en_archivo[mapeo.codigo])}
    if columnas and (mapeo.codigo_tabla or mapeo.codigo) not in columnas:
        raise ImportacionRechazada(
            f"La tabla de normas no tiene la columna del código «{mapeo.codigo_tabla or mapeo.codigo}» "
            f"(columnas: {', '.join(columnas)}).",
            codigo="mapeo",
        )
    for dato, nombre in mapeo.asignados().items():
        if nombre in en_archivo:
            origen[dato] = ("archivo", en_archivo[nombre])
        elif nombre in columnas:
            origen[dato] = ("tabla", nombre)
        else:
            donde = f"en el archivo (campos: {lista_archivo})"
            if columnas:
                donde += f" ni en la tabla de normas (columnas: {', '.join(columnas)})"
            raise ImportacionRechazada(f"El campo «{nombre}» ({dato}) no existe {donde}.", codigo="mapeo")
    return origen


def _codigo(valor) -> str:
    """Devuelve el código como texto («12.0» → «12»), o "" si está vacío."""
    if normativa.es_vacio(valor):
        return ""
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)
    return " ".join(str(valor).split())


def _leer(lector, pedido: PedidoZonas, columnas, *, srid: int, problemas, progreso):
    """Lee los elementos, valida cada geometría y los agrupa por código; anota los problemas."""
    informe = Informe()
    leidas: dict[str, _Leida] = {}
    origen = None
    for lote in lector.lotes(TAMANO_LOTE):
        if origen is None:
            origen = _origenes(pedido.mapeo, lector.campos, columnas)
        formas = shapely.from_wkb(lote.wkbs, on_invalid="ignore")
        for fid, wkb, forma, fila in zip(lote.fids, lote.wkbs, formas, lote.filas, strict=True):
            informe.leidos += 1
            codigo = _codigo(fila.get(origen["codigo"][1]))
            donde = f"fid {fid}" + (f" (zona «{codigo}»)" if codigo else "")
            antes = len(informe.invalidos) + len(informe.omitidos)
            geom = geometria_de_elemento(fid, wkb, forma, srid=srid, reparar=pedido.reparar, informe=informe)
            if geom is None:
                motivo = [*informe.invalidos, *informe.omitidos][antes:]
                problemas.append(f"{donde}: {motivo[0].motivo if motivo else 'sin geometría'}")
            elif geom.geom_type != "MultiPolygon":
                problemas.append(f"{donde}: es {geom.geom_type}; una zona es un polígono")
            if not codigo:
                problemas.append(f"fid {fid}: sin código (campo «{origen['codigo'][1]}» vacío)")
                continue
            if len(codigo) > 40:
                problemas.append(f"{donde}: el código tiene más de 40 caracteres")
                continue
            leida = leidas.setdefault(codigo, _Leida(codigo))
            leida.fids.append(fid)
            leida.filas.append(fila)
            if geom is not None and geom.geom_type == "MultiPolygon":
                leida.geoms.append(geom)
        if progreso:
            progreso(informe.leidos, lector.total)
    return leidas, origen or {}, informe


def _armar(
    leidas, pedido: PedidoZonas, comuna, origen, tabla, *, problemas, avisos
) -> list[tuple[Zona, dict]]:
    """Devuelve [(zona sin guardar, usos)] validadas; anota los problemas de cada zona."""
    columna_codigo = pedido.mapeo.codigo_tabla or pedido.mapeo.codigo
    por_codigo: dict[str, list[tuple[int, dict]]] = {}
    for numero_fila, fila in enumerate(tabla, start=2):  # la fila 1 son los títulos
        por_codigo.setdefault(_codigo(fila.get(columna_codigo)), []).append((numero_fila, fila))
    usa_tabla = any(fuente == "tabla" for fuente, _n in origen.values())
    sin_tabla = sorted(c for c in leidas if usa_tabla and c not in por_codigo)
    if sin_tabla:
        avisos.append(
            f"{len(sin_tabla)} zonas sin fila en la tabla de normas (quedan sin esas normas): "
            + ", ".join(sin_tabla[:20])
        )
    sobran = sorted(c for c in por_codigo if c and c not in leidas)
    if usa_tabla and sobran:
        avisos.append(f"{len(sobran)} códigos de la tabla no están en el archivo: " + ", ".join(sobran[:20]))
    zonas = []
    for codigo, leida in leidas.items():
        fids = ", ".join(str(f) for f in leida.fids[:10]) + ("…" if len(leida.fids) > 10 else "")
        donde = f"Zona «{codigo}» (fid {fids})"
        if len(leida.fids) > 1 and not pedido.unir_por_codigo:
            problemas.append(
                f"{donde}: el código se repite en {len(leida.fids)} elementos; corrija el archivo o pida "
                "unir los polígonos del mismo código"
            )
            continue
        if len(leida.geoms) < len(leida.fids):
            continue  # su geometría ya está anotada como problema
        filas = por_codigo.get(codigo, [])
        try:
            datos, usos = _datos(leida, origen, filas)
        except ValueError as error:
            problemas.append(f"{donde}: {error}")
            continue
        zona = Zona(
            comuna=comuna,
            instrumento=pedido.instrumento,
            nombre_instrumento=pedido.nombre_instrumento,
            codigo=codigo,
            geom=_unir(leida.geoms),
            **datos,
        )
        try:
            zona.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for campo, mensajes in error.message_dict.items():
                etiqueta = Zona._meta.get_field(campo).verbose_name if campo in NOMBRES_CAMPOS else campo
                problemas.extend(f"{donde}: {etiqueta}: {m}" for m in mensajes)
            continue
        zonas.append((zona, usos))
    return zonas


NOMBRES_CAMPOS = frozenset(f.name for f in Zona._meta.fields)


def _unir(geoms: list) -> MultiPolygon:
    """Devuelve los polígonos de un código como un MultiPolygon válido (unidos si se tocan)."""
    if len(geoms) == 1:
        return geoms[0]
    partes = MultiPolygon(*[p for g in geoms for p in g], srid=geoms[0].srid)
    return a_multi(partes.unary_union)


def _datos(leida: _Leida, origen: dict, filas: list[tuple[int, dict]]) -> tuple[dict, dict[str, str]]:
    """Devuelve (campos de la zona, usos) de sus atributos y filas de la tabla (ValueError si no se puede)."""
    atributos = {
        dato: [f.get(nombre) for f in leida.filas]
        for dato, (fuente, nombre) in origen.items()
        if fuente == "archivo"
    }
    for dato, valores in atributos.items():
        if dato != "codigo" and len({repr(v) for v in valores}) > 1:
            raise ValueError(
                f"sus elementos tienen distinto «{origen[dato][1]}» ({', '.join(map(str, valores[:5]))})"
            )
    datos: dict = {}
    nombre = _texto(atributos.get("nombre", [None])[0]) or _primer_texto(filas, origen.get("nombre"))
    if len(nombre) > 200:
        raise ValueError("el nombre tiene más de 200 caracteres")
    datos["nombre"] = nombre or leida.codigo
    for dato, (campo, unir) in NORMAS.items():
        fuente, nombre_campo = origen.get(dato, ("", ""))
        if fuente == "archivo":
            datos[campo] = _cifra(atributos[dato][0], nombre_campo, "")
        elif fuente == "tabla":
            cifras = [
                _cifra(f.get(nombre_campo), nombre_campo, f" en la fila {n} de la tabla") for n, f in filas
            ]
            cifras = [c for c in cifras if c is not None]
            datos[campo] = unir(cifras) if cifras else None
    return datos, _usos(atributos, origen, filas)


def _texto(valor) -> str:
    """Devuelve el valor como texto de una línea, o "" si es vacío."""
    return "" if normativa.es_vacio(valor) else " ".join(str(valor).split())


def _primer_texto(filas, origen) -> str:
    """Devuelve el primer valor no vacío de la columna en las filas de la tabla."""
    if not origen or origen[0] != "tabla":
        return ""
    return next((t for _n, f in filas if (t := _texto(f.get(origen[1])))), "")


def _cifra(valor, campo: str, donde: str) -> float | None:
    """Devuelve la cifra del valor o lanza ValueError con el campo y el lugar."""
    try:
        return normativa.numero(valor)
    except ValueError:
        raise ValueError(f"«{valor}» en «{campo}»{donde} no es una cifra") from None


def _usos(atributos: dict, origen: dict, filas) -> dict[str, str]:
    """Devuelve {uso: condición} de los textos de usos (uniendo las filas de la tabla del código)."""
    mapeados = [d for d in USOS if d in origen]
    if not mapeados:
        return {}
    desde_tabla = any(origen[d][0] == "tabla" for d in mapeados)
    contextos = [f for _n, f in filas] if desde_tabla and filas else [{}]
    varios = []
    for fila in contextos:
        textos = {}
        for dato in mapeados:
            fuente, nombre = origen[dato]
            textos[USOS[dato]] = atributos[dato][0] if fuente == "archivo" else fila.get(nombre)
        varios.append(normativa.usos_de_textos(**textos))
    return normativa.usos_unir(varios)


def _escribir(zonas: list[tuple[Zona, dict]], pedido: PedidoZonas, comuna, *, actor) -> dict:
    """Escribe las zonas y sus usos (sincroniza por código si se pidió reemplazar); devuelve el resumen."""
    existentes = {
        z.codigo: z
        for z in Zona.objects.select_for_update().filter(
            comuna=comuna, instrumento=pedido.instrumento, nombre_instrumento=pedido.nombre_instrumento
        )
    }
    if existentes and not pedido.reemplazar:
        instrumento = InstrumentoPlanificacion(pedido.instrumento).label
        base = (
            f"Ya hay {len(existentes)} zonas de {instrumento} «{pedido.nombre_instrumento}»; "
            "no se importó nada. "
        )
        raise ImportacionRechazada(
            base + "Marque «Reemplazar las zonas del instrumento» para sincronizarlas con el archivo.",
            en_orden=base + "Use --reemplazar para sincronizarlas con el archivo.",
            codigo="existentes",
        )
    nuevas, actualizadas = [], []
    campos = ["nombre", "geom", *(c for c, _u in NORMAS.values())]
    try:
        with contexto_auditoria(actor=actor, origen="zonas_importar"):
            codigos = {z.codigo for z, _u in zonas}
            eliminadas = [z.pk for c, z in existentes.items() if c not in codigos]
            Zona.objects.filter(pk__in=eliminadas).delete()
            for zona, _usos_zona in zonas:
                previa = existentes.get(zona.codigo)
                if previa is None:
                    nuevas.append(zona)
                    continue
                for campo in campos:
                    setattr(previa, campo, getattr(zona, campo))
                previa.save()
                zona.pk = previa.pk
                actualizadas.append(previa)
            Zona.objects.bulk_create(nuevas)
            UsoZona.objects.filter(zona__in=actualizadas).delete()
            usos = [
                UsoZona(zona_id=zona.pk, uso=uso, condicion=condicion)
                for zona, usos_zona in zonas
                for uso, condicion in sorted(usos_zona.items())
            ]
            UsoZona.objects.bulk_create(usos)
    except IntegrityError as error:
        raise ImportacionRechazada(
            f"La base rechazó las zonas: {error}".splitlines()[0], codigo="base"
        ) from error
    return {
        "instrumento": pedido.instrumento,
        "nombre_instrumento": pedido.nombre_instrumento,
        "zonas": len(zonas),
        "creadas": len(nuevas),
        "actualizadas": len(actualizadas),
        "eliminadas": len(eliminadas),
        "usos": len(usos),
    }
