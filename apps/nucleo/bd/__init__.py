"""Roles, privilegios y vistas de la base de datos (mínimo privilegio, acceso de QGIS)."""
