"""Rutas (por completar)."""

urlpatterns = []
