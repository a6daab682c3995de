"""Capas de referencia importadas vistas por una persona: su estilo editable y el mapa chico."""
