"""Propuestas de uso de suelo y análisis de restricciones."""
