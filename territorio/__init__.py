"""Proyecto Django de Territorio: configuración, URLs y WSGI. Sin lógica de negocio."""
