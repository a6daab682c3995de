"""Conjunto de datos de demostración: determinista, marcado y removible con una orden."""
