"""Proyecto de QGIS (.qgs o .qgz) sobre el GeoPackage exportado, con grupos y estilos.

El .qgs es el XML de un proyecto de QGIS 3.22 reducido a lo necesario: capas con ruta relativa
``./archivo.gpkg|layername=capa`` (el proyecto y el GeoPackage viajan juntos), un grupo del árbol por
``capa.grupo``, el ``<renderer-v2>`` del QML de cada capa, alias de campos con el título de cada
atributo y mapas de valores con sus etiquetas (``campos_qgis``, los mismos del QML del GeoPackage).

Como el visor: las capas se dibujan en el orden de ``registro.para_visor`` (orden propio del lienzo,
de arriba abajo) y abren encendidas o apagadas según ``Capa.visible``. El proyecto usa el SRC
métrico de la comuna (UTM SIRGAS-Chile de su huso, ``capas.srid.srid_metrico_de`` sobre el límite
configurado: EPSG:5362 en Teodoro Schmidt) para medir en metros; las capas siguen en EPSG:4326 en el
GeoPackage y QGIS las reproyecta al vuelo. Sin límite configurado, el proyecto queda en EPSG:4326.

El .qgz es un zip con el .qgs y el GeoPackage. QGIS resuelve las rutas relativas de un .qgz desde la
carpeta del .qgz, no desde donde lo descomprime; por eso ahí el GeoPackage va como archivo adjunto
del proyecto (``attachment:archivo.gpkg``, QGIS ≥ 3.22): QGIS lo abre desde el .qgz, lo puede editar
y lo vuelve a guardar dentro al guardar el proyecto, aunque se renombre el .qgz.
"""

import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from pathlib import Path

from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.contrib.gis.gdal import SpatialReference
from django.utils.module_loading import import_string

from capas.estilos import DOCTYPE_QGIS, VERSION_QGIS
from capas.exportacion import campos_qgis, lectura
from capas.geometria import tipo_simple
from capas.registro import Capa
from capas.srid import srid_metrico_de

TITULO = "Territorio — capas de la SECPLAC"
# Margen alrededor del límite comunal en la vista inicial (en unidades del SRC del proyecto).
MARGEN = {"metros": 1000.0, "grados": 0.01}
MARCA = {True: "Qt::Checked", False: "Qt::Unchecked"}
GEOMETRIA_QGIS = {"POINT": "Point", "LINESTRING": "Line", "POLYGON": "Polygon"}
# Ruta de un archivo adjunto dentro del .qgz (QgsPathResolver de QGIS 3.22).
PREFIJO_ADJUNTO = "attachment:"


def id_capa(capa: Capa) -> str:
    """Devuelve el identificador de la capa en el proyecto (estable entre exportaciones).

    QGIS descarta y reemplaza por uno al azar todo id de 10 caracteres o menos.
    """
    return f"territorio_{capa.nombre.replace('-', '_')}"


def fuente_capa(gpkg: str, capa: Capa) -> str:
    """Devuelve la fuente OGR de la capa: ``<gpkg>|layername=capa`` (``gpkg`` relativo o adjunto)."""
    return f"{gpkg}|layername={capa.nombre}"


def limite_comunal():
    """Devuelve el límite de la comuna configurada (GEOS en 4326) o None si no hay."""
    ruta = getattr(settings, "CAPAS_LIMITE_REFERENCIA", None)
    return import_string(ruta)() if ruta else None


def srid_proyecto(limite) -> int:
    """Devuelve el SRID del proyecto: el métrico de la comuna, o el de exportación si no hay límite."""
    if limite is None:
        return lectura.SRID_EXPORTACION
    return srid_metrico_de(limite.transform(lectura.SRID_EXPORTACION, clone=True))


def proyecto_qgs(capas: Iterable[Capa], gpkg: str, *, titulo: str = TITULO) -> str:
    """Devuelve el XML del proyecto con las capas del GeoPackage ``gpkg`` (./x.gpkg o attachment:x.gpkg).

    ``capas`` van en el orden del visor (``registro.para_visor``), de arriba abajo.
    """
    capas = list(capas)
    limite = limite_comunal()
    srid = srid_proyecto(limite)
    raiz = ET.Element("qgis", projectname=titulo, version=VERSION_QGIS)
    ET.SubElement(raiz, "homePath", path="")
    ET.SubElement(raiz, "title").text = titulo
    _srs(ET.SubElement(raiz, "projectCrs"), srid)
    raiz.append(_arbol(capas, gpkg))
    if limite is not None:
        _vista_inicial(raiz, limite, srid)
    capas_xml = ET.SubElement(raiz, "projectlayers")
    for capa in capas:
        capas_xml.append(_capa(capa, gpkg))
    orden = ET.SubElement(raiz, "layerorder")
    for capa in capas:
        ET.SubElement(orden, "layer", id=id_capa(capa))
    propiedades = ET.SubElement(raiz, "properties")
    rutas = ET.SubElement(propiedades, "Paths")
    ET.SubElement(rutas, "Absolute", type="bool").text = "false"
    # Sin ProjectionsEnabled, QGIS 3.22 ignora <projectCrs> al leer el proyecto.
    srs = ET.SubElement(propiedades, "SpatialRefSys")
    ET.SubElement(srs, "ProjectionsEnabled", type="int").text = "1"
    ET.indent(raiz)
    return DOCTYPE_QGIS + ET.tostring(raiz, encoding="unicode") + "\n"


def escribir_qgs(capas: Iterable[Capa], destino: Path, nombre_gpkg: str) -> None:
    """Escribe el .qgs que usa el GeoPackage ``nombre_gpkg`` de su misma carpeta."""
    Path(destino).write_text(proyecto_qgs(capas, f"./{nombre_gpkg}"), encoding="utf-8")


def escribir_qgz(capas: Iterable[Capa], destino: Path, gpkg: Path) -> None:
    """Escribe el .qgz: un zip con el proyecto .qgs y el GeoPackage al que apunta."""
    destino = Path(destino)
    with zipfile.ZipFile(destino, "w", compression=zipfile.ZIP_DEFLATED) as archivo:
        archivo.writestr(f"{destino.stem}.qgs", proyecto_qgs(capas, PREFIJO_ADJUNTO + gpkg.name))
        archivo.write(gpkg, gpkg.name)


def _srs(padre: ET.Element, srid: int) -> None:
    """Agrega el <spatialrefsys> del SRID: QGIS 3.22 lo reconstruye del WKT (de GDAL) y su authid."""
    referencia = SpatialReference(srid)
    srs = ET.SubElement(padre, "spatialrefsys")
    valores = {
        "wkt": referencia.wkt,
        "proj4": referencia.proj4.strip(),
        "srid": str(srid),
        "authid": f"EPSG:{srid}",
        "description": referencia.name,
        "geographicflag": "true" if referencia.geographic else "false",
    }
    for etiqueta, valor in valores.items():
        ET.SubElement(srs, etiqueta).text = valor


def _arbol(capas: list[Capa], gpkg: str) -> ET.Element:
    """Devuelve el árbol de capas: un grupo por ``capa.grupo`` (en el orden en que aparecen), cada
    capa encendida según ``Capa.visible`` y el orden de dibujo de ``capas`` (el del visor)."""
    raiz = ET.Element("layer-tree-group")
    ET.SubElement(raiz, "customproperties")
    grupos: dict[str, ET.Element] = {}
    for capa in capas:
        grupo = grupos.get(capa.grupo)
        if grupo is None:
            grupo = ET.SubElement(
                raiz, "layer-tree-group", name=capa.grupo, checked=MARCA[True], expanded="1"
            )
            ET.SubElement(grupo, "customproperties")
            grupos[capa.grupo] = grupo
        nodo = ET.SubElement(
            grupo,
            "layer-tree-layer",
            id=id_capa(capa),
            name=capa.titulo,
            source=fuente_capa(gpkg, capa),
            providerKey="ogr",
            checked=MARCA[capa.visible],
            expanded="1",
        )
        ET.SubElement(nodo, "customproperties")
    # Los grupos juntan capas que el visor intercala (puntos de todos los grupos sobre las áreas):
    # el orden propio del lienzo dibuja exactamente en el orden del visor.
    orden = ET.SubElement(raiz, "custom-order", enabled="1")
    for capa in capas:
        ET.SubElement(orden, "item").text = id_capa(capa)
    return raiz


def _vista_inicial(raiz: ET.Element, limite, srid: int) -> None:
    """Agrega la vista inicial sobre la comuna (extensión por defecto y lienzo) en el SRC del proyecto."""
    xmin, ymin, xmax, ymax = limite.transform(srid, clone=True).extent
    unidades = "degrees" if SpatialReference(srid).geographic else "meters"
    margen = MARGEN["grados" if unidades == "degrees" else "metros"]
    caja = {"xmin": xmin - margen, "ymin": ymin - margen, "xmax": xmax + margen, "ymax": ymax + margen}
    vista = ET.SubElement(raiz, "ProjectViewSettings", UseProjectScales="0", rotation="0")
    ET.SubElement(vista, "Scales")
    extension = ET.SubElement(vista, "DefaultViewExtent", **{k: f"{v:.7f}" for k, v in caja.items()})
    _srs(extension, srid)
    # QGIS de escritorio abre con la extensión del lienzo guardado, no con la por defecto.
    lienzo = ET.SubElement(raiz, "mapcanvas", name="theMapCanvas")
    ET.SubElement(lienzo, "units").text = unidades
    extension = ET.SubElement(lienzo, "extent")
    for etiqueta, valor in caja.items():
        ET.SubElement(extension, etiqueta).text = f"{valor:.7f}"
    ET.SubElement(lienzo, "rotation").text = "0"
    _srs(ET.SubElement(lienzo, "destinationsrs"), srid)


def _capa(capa: Capa, gpkg: str) -> ET.Element:
    """Devuelve el <maplayer> de una capa vectorial con su estilo y los alias de sus campos."""
    tipo = tipo_simple(capa.tipo_geometria)
    capa_xml = ET.Element(
        "maplayer",
        type="vector",
        geometry=GEOMETRIA_QGIS[tipo],
        wkbType=capa.tipo_geometria,
        styleCategories="AllStyleCategories",
    )
    ET.SubElement(capa_xml, "id").text = id_capa(capa)
    ET.SubElement(capa_xml, "datasource").text = fuente_capa(gpkg, capa)
    ET.SubElement(capa_xml, "layername").text = capa.titulo
    _srs(ET.SubElement(capa_xml, "srs"), lectura.SRID_EXPORTACION)
    metadatos = ET.SubElement(capa_xml, "resourceMetadata")
    ET.SubElement(metadatos, "identifier").text = capa.nombre
    ET.SubElement(metadatos, "type").text = "dataset"
    ET.SubElement(metadatos, "title").text = capa.titulo
    ET.SubElement(metadatos, "abstract").text = capa.descripcion
    ET.SubElement(capa_xml, "provider", encoding="UTF-8").text = "ogr"
    estilos = ET.SubElement(capa_xml, "map-layer-style-manager", current="default")
    ET.SubElement(estilos, "map-layer-style", name="default")
    capa_xml.append(renderer(capa))
    # Un proyecto no aplica el estilo por defecto del GeoPackage: alias y mapas de valores van aquí.
    capa_xml.extend(campos_qgis.configuracion_campos(capa, campos_qgis.mapas_de_valores(capa)))
    return capa_xml


def renderer(capa: Capa) -> ET.Element:
    """Devuelve el <renderer-v2> del estilo por defecto de la capa (el mismo de su QML)."""
    return fromstring(capa.estilo.renderer_qml(capa.tipo_geometria))
