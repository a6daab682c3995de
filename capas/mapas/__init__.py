"""Mapas de folium con recursos locales (sin CDN): paquetes de npm servidos por whitenoise."""
