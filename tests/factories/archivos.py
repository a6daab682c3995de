"""Archivos geográficos pequeños y reales (GeoJSON, GeoTIFF) dentro de Teodoro Schmidt para importar."""

import json
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine

from tests.factories import CENTRO


def geojson_poligono(ruta: Path, *, lon: float = CENTRO[0], lat: float = CENTRO[1]) -> Path:
    """Escribe un GeoJSON con un triángulo de ~100 m con vértice en (lon, lat) y devuelve su ruta."""
    anillo = [[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat]]
    elemento = {
        "type": "Feature",
        "properties": {"nombre": "Sector"},
        "geometry": {"type": "Polygon", "coordinates": [anillo]},
    }
    ruta.write_text(json.dumps({"type": "FeatureCollection", "features": [elemento]}))
    return ruta


def geotiff_pequeno(ruta: Path, *, lon: float = CENTRO[0], lat: float = CENTRO[1]) -> Path:
    """Escribe un GeoTIFF 20×20 uint8 en EPSG:4326 con esquina inferior izquierda en (lon, lat)."""
    perfil = {
        "driver": "GTiff",
        "width": 20,
        "height": 20,
        "count": 1,
        "dtype": "uint8",
        "crs": "EPSG:4326",
        "transform": Affine(0.0005, 0, lon, 0, -0.0005, lat + 0.01),
    }
    with rasterio.open(ruta, "w", **perfil) as destino:
        destino.write(np.arange(400, dtype="uint8").reshape(20, 20), 1)
    return ruta
