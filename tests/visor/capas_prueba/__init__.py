"""App de prueba: declara una capa dibujada con teselas MVT para probar el visor en el navegador.

Ninguna capa de main abre en modo «teselas» todavía (las grandes son las importadas); esta app solo
se instala en el servidor que levantan las pruebas del visor (``tests/visor/ajustes_mvt.py``).
"""
