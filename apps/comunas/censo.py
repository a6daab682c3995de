"""Sectores censales de la comuna: zonas urbanas del INE y el resto rural, con población del Censo 2017.

Fuentes (``../shared/data/real/README.md`` §1-2):

* zonas censales urbanas INE 2017 (GeoJSON; campos ``COMUNA``, ``URBANO``, ``GEOCODIGO``);
* población por zona (chilemapas, ``geocodigo,edad,poblacion``: ``geocodigo`` es ``'0' || GEOCODIGO``);
* población por comuna (chilemapas, ``codigo_comuna,edad,sexo,poblacion``).

Cada zona urbana queda como el área de la localidad cuya ubicación cae en ella (p. ej. «Hualpín»,
que el INE escribe GUALPÍN), o como una localidad nueva si ninguna cae; el resto rural es el
límite comunal menos las zonas urbanas, con la población de la comuna menos la de esas zonas.
Todo o nada: si falta un dato, no se cambia nada.
"""

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyogrio
import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.comunas.choices import TipoLocalidad
from apps.comunas.fuentes import FuenteInvalida, _srid_de_crs, normalizar_cut
from apps.comunas.models import Comuna, Localidad
from apps.nucleo.auditoria import contexto_auditoria
from capas.geometria import a_multi, validar_geometria
from capas.srid import reproyectar

NOMBRE_RURAL = "Sector rural (resto de la comuna)"
ZONAS = "ine2017_zonas_censales_r09_araucania.geojson"
POBLACION_ZONAS = "chilemapas_censo2017_poblacion_zonas_r09.csv"
POBLACION_COMUNAS = "chilemapas_censo2017_poblacion_comunas_r09.csv"


@dataclass(frozen=True)
class Zona:
    """Zona censal urbana: código INE, nombre de la localidad urbana y polígono en EPSG:4326."""

    geocodigo: str
    nombre: str
    area: GEOSGeometry


def leer_zonas(ruta: Path, cut: str) -> list[Zona]:
    """Devuelve las zonas censales urbanas de la comuna ``cut`` leídas con pyogrio."""
    ruta = Path(ruta)
    if not ruta.is_file():
        raise FuenteInvalida(f"No existe el archivo de zonas censales {ruta}.")
    try:
        meta, _fids, geometrias, valores = pyogrio.raw.read(ruta)
    except pyogrio.errors.DataSourceError as error:
        raise FuenteInvalida(f"GDAL no pudo leer {ruta}: {error}")
    campos = list(meta["fields"])
    faltan = [c for c in ("COMUNA", "URBANO", "GEOCODIGO") if c not in campos]
    if faltan:
        raise FuenteInvalida(f"Al archivo de zonas le faltan los campos {', '.join(faltan)}.")
    if meta["crs"] is None:
        raise FuenteInvalida("El archivo de zonas no declara su sistema de coordenadas.")
    srid = _srid_de_crs(meta["crs"])
    comunas, nombres, codigos = (valores[campos.index(c)] for c in ("COMUNA", "URBANO", "GEOCODIGO"))
    zonas = []
    for i, comuna in enumerate(comunas):
        if comuna is None or normalizar_cut(comuna) != cut:
            continue
        geom = GEOSGeometry(memoryview(shapely.to_wkb(shapely.from_wkb(geometrias[i]))), srid=srid)
        area = a_multi(validar_geometria(reproyectar(geom, settings.TERRITORIO_SRID), campo="area"))
        zonas.append(Zona(str(codigos[i]).zfill(11), str(nombres[i]).strip(), area))
    if not zonas:
        raise FuenteInvalida(f"El archivo de zonas no tiene zonas censales de la comuna {cut}.")
    return zonas


def _sumas_csv(ruta: Path, campo_codigo: str) -> dict[str, int]:
    """Devuelve la suma de ``poblacion`` por código (texto tal cual) de un CSV de chilemapas."""
    ruta = Path(ruta)
    if not ruta.is_file():
        raise FuenteInvalida(f"No existe el archivo de población {ruta}.")
    sumas: dict[str, int] = defaultdict(int)
    with ruta.open(newline="", encoding="utf-8") as archivo:
        lector = csv.DictReader(archivo)
        if not {campo_codigo, "poblacion"} <= set(lector.fieldnames or ()):
            raise FuenteInvalida(f"{ruta.name} debe tener las columnas {campo_codigo} y poblacion.")
        for n, fila in enumerate(lector, start=2):
            try:
                sumas[fila[campo_codigo].strip()] += int(fila["poblacion"])
            except (TypeError, ValueError):
                raise FuenteInvalida(f"{ruta.name}, línea {n}: la población no es un entero.")
    return dict(sumas)


@transaction.atomic
def localidades_censo_cargar(
    *, comuna: Comuna, zonas: Path, poblacion_zonas: Path, poblacion_comunas: Path, actor=None
) -> dict:
    """Crea o actualiza los sectores censales de la comuna con su área y población (todo o nada).

    Devuelve un resumen: ``{"zonas": [(nombre, población)], "rural": población, "comuna": total,
    "creadas": n, "actualizadas": n}``.
    """
    leidas = leer_zonas(zonas, comuna.cut)
    por_zona = _sumas_csv(poblacion_zonas, "geocodigo")
    total = _sumas_csv(poblacion_comunas, "codigo_comuna").get(comuna.cut)
    if total is None:
        raise FuenteInvalida(f"El archivo de población por comuna no tiene la comuna {comuna.cut}.")
    sin_poblacion = [z.geocodigo for z in leidas if z.geocodigo not in por_zona]
    if sin_poblacion:
        raise FuenteInvalida(f"No hay población para las zonas {', '.join(sin_poblacion)}.")
    urbana = sum(por_zona[z.geocodigo] for z in leidas)
    if urbana > total:
        raise FuenteInvalida(f"Las zonas urbanas suman {urbana} habitantes, más que la comuna ({total}).")
    resumen = {"zonas": [], "rural": total - urbana, "comuna": total, "creadas": 0, "actualizadas": 0}
    with contexto_auditoria(actor=actor, origen="localidades_censo_cargar"):
        for zona in leidas:
            localidad = _localidad_de_zona(comuna, zona)
            _guardar(localidad, zona.area, por_zona[zona.geocodigo], resumen)
            resumen["zonas"].append((localidad.nombre, por_zona[zona.geocodigo]))
        union = shapely.union_all([shapely.from_wkb(bytes(z.area.wkb)) for z in leidas])
        resto_shapely = shapely.difference(shapely.from_wkb(bytes(comuna.limite.wkb)), union)
        resto = GEOSGeometry(memoryview(shapely.to_wkb(resto_shapely)), srid=comuna.limite.srid)
        resto = a_multi(validar_geometria(resto, campo="area"))
        rural = Localidad.objects.filter(comuna=comuna, nombre=NOMBRE_RURAL).first() or Localidad(
            comuna=comuna,
            nombre=NOMBRE_RURAL,
            tipo=TipoLocalidad.SECTOR,
            ubicacion=resto.point_on_surface,
            fuente="Punto interior del límite comunal menos las zonas urbanas INE 2017",
        )
        _guardar(rural, resto, total - urbana, resumen)
    return resumen


def _localidad_de_zona(comuna: Comuna, zona: Zona) -> Localidad:
    """Devuelve la localidad (real) cuya ubicación cae en la zona, o una nueva con el nombre INE."""
    existente = (
        Localidad.objects.filter(comuna=comuna, es_demo=False, ubicacion__coveredby=zona.area)
        .exclude(tipo=TipoLocalidad.SECTOR)
        .order_by("pk")
        .first()
    )
    if existente:
        return existente
    return Localidad(
        comuna=comuna,
        nombre=zona.nombre.title(),
        tipo=TipoLocalidad.PUEBLO,
        ubicacion=zona.area.point_on_surface,
        fuente=f"Punto interior de la zona censal INE 2017 {zona.geocodigo}",
    )


def _guardar(localidad: Localidad, area, poblacion: int, resumen: dict) -> None:
    """Valida y guarda la localidad con su área y población; cuenta si la creó o la actualizó."""
    resumen["creadas" if localidad.pk is None else "actualizadas"] += 1
    localidad.area = area
    localidad.poblacion = poblacion
    try:
        localidad.full_clean()
    except ValidationError as error:
        raise FuenteInvalida(f"La localidad «{localidad.nombre}» no es válida: {' '.join(error.messages)}")
    localidad.save()


def directorio_datos_reales() -> Path | None:
    """Devuelve el directorio de datos reales (``TERRITORIO_DATOS_REALES``) si existe con el censo."""
    ruta = Path(settings.TERRITORIO_DATOS_REALES)
    if all((ruta / nombre).is_file() for nombre in (ZONAS, POBLACION_ZONAS, POBLACION_COMUNAS)):
        return ruta
    return None


def censo_desde_datos_reales(*, comuna: Comuna, actor=None) -> dict | None:
    """Carga los sectores censales desde el directorio de datos reales, si existe (si no, None)."""
    ruta = directorio_datos_reales()
    if ruta is None:
        return None
    return localidades_censo_cargar(
        comuna=comuna,
        zonas=ruta / ZONAS,
        poblacion_zonas=ruta / POBLACION_ZONAS,
        poblacion_comunas=ruta / POBLACION_COMUNAS,
        actor=actor,
    )
