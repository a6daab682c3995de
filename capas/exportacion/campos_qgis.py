"""Campos de una capa en QGIS: alias con el título del atributo y mapas de valores con sus etiquetas.

El GeoPackage guarda los valores (``servicio_publico``, ``fuente = 2``); QGIS muestra la etiqueta
(«Servicio público», «FNDR») en la tabla de atributos, el formulario e «Identificar» con el widget
*Value Map* de cada campo (``QgsValueMapFieldFormatter``). Se eligió el mapa de valores y no una
columna de etiqueta duplicada porque QGIS 3.22 lo aplica al abrir la capa (estilo por defecto de
``layer_styles``) y al editar ofrece la lista de opciones en vez de un texto libre.

Los booleanos se leen «Sí»/«No». Las opciones de un campo con choices van todas; las de una llave
foránea (el nombre del registro apuntado) se leen de la base: los pares distintos que aparecen en
la capa, una sentencia por campo.
"""

import xml.etree.ElementTree as ET

from django.db import connection

from capas.exportacion import lectura
from capas.registro import Capa

WIDGET_MAPA = "ValueMap"
# GDAL escribe los booleanos como entero con subtipo Boolean y QGIS los lee como bool: sin mapa
# mostraría «true»/«false» (el texto del valor es lo que el Value Map compara).
SI_NO = (("true", "Sí"), ("false", "No"))
# Índice del primer atributo: el 0 es el fid, que GDAL expone como primer campo del GeoPackage.
PRIMER_INDICE = 1


def mapas_de_valores(capa: Capa) -> dict[str, list[tuple[str, str]]]:
    """Devuelve, por atributo con etiquetas, los pares (valor guardado, etiqueta) que QGIS mostrará."""
    mapas = {}
    for atributo in capa.fuente.atributos:
        if atributo.expresion_legible:
            mapas[atributo.nombre] = _pares_en_la_capa(capa, atributo)
        elif atributo.opciones:
            mapas[atributo.nombre] = list(atributo.opciones)
        elif atributo.tipo == "booleano":
            mapas[atributo.nombre] = list(SI_NO)
    return mapas


def _pares_en_la_capa(capa: Capa, atributo) -> list[tuple[str, str]]:
    """Devuelve los pares distintos (valor, etiqueta) del atributo en la capa, ordenados por etiqueta."""
    sql, parametros = capa.fuente.seleccion(
        columnas=f"DISTINCT ({atributo.expresion})::text, ({atributo.legible})::text",
        donde=f"({atributo.expresion}) IS NOT NULL",
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) p ORDER BY 2, 1", parametros)
        return [(valor, etiqueta if etiqueta is not None else valor) for valor, etiqueta in cursor.fetchall()]


def configuracion_campos(capa: Capa, mapas: dict[str, list[tuple[str, str]]]) -> list[ET.Element]:
    """Devuelve los elementos ``<fieldConfiguration>`` y ``<aliases>`` de la capa (QML y proyecto)."""
    campos = ET.Element("fieldConfiguration")
    alias = ET.Element("aliases")
    for indice, col in enumerate(lectura.columnas(capa), start=PRIMER_INDICE):
        ET.SubElement(alias, "alias", field=col.nombre, index=str(indice), name=col.encabezado)
        pares = mapas.get(col.nombre)
        if pares is None:
            continue
        campo = ET.SubElement(campos, "field", name=col.nombre, configurationFlags="None")
        widget = ET.SubElement(campo, "editWidget", type=WIDGET_MAPA)
        _opcion_mapa(ET.SubElement(widget, "config"), pares)
    return [campos, alias]


def _opcion_mapa(config: ET.Element, pares: list[tuple[str, str]]) -> None:
    """Agrega la configuración del Value Map: una lista de mapas {etiqueta: valor}, en orden."""
    raiz = ET.SubElement(config, "Option", type="Map")
    lista = ET.SubElement(raiz, "Option", type="List", name="map")
    for valor, etiqueta in pares:
        par = ET.SubElement(lista, "Option", type="Map")
        ET.SubElement(par, "Option", type="QString", name=etiqueta, value=valor)
