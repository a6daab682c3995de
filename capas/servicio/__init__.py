"""Servicio de capas: GeoJSON hecho por PostGIS, OGC API – Features y teselas vectoriales."""
