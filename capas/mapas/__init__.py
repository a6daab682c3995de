"""Mapas de folium con recursos locales (sin CDN): paquetes de npm servidos por whitenoise.

Todo mapa se arma importando ``capas.mapas.activos`` (o un módulo que lo importe): al importarse
apunta las clases de folium a los estáticos locales. ``paquetes`` no importa Django ni folium (lo
lee la configuración). ``base`` da los mapas base (``models.MapaBase``) y las capas de contexto de
todo mapa chico.
"""
