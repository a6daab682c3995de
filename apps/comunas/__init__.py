"""Base territorial: la comuna configurada, su límite y sus localidades y sectores."""
