"""Exportación de capas: GeoPackage con estilos, proyecto QGIS, GeoJSON, Shapefile, KML y CSV."""
