"""Bienes inmuebles municipales, activos y sus concesiones."""
