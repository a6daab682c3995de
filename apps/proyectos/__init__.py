"""Iniciativas de inversión y sus fuentes de financiamiento."""
