"""Núcleo de la plataforma: auditoría, bloqueo optimista, roles y páginas comunes."""
