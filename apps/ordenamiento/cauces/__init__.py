"""Franja de protección de cauces: buffer de una capa de ríos como capa de restricción «cauces»."""
