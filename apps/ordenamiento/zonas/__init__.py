"""Zonificación de los instrumentos de planificación: escrituras, importación, páginas y trabajo."""
