"""Páginas comunes: inicio y verificación de salud."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.nucleo.selectors import resumen_registros


@require_GET
def inicio(request):
    """Muestra el resumen de la comuna y los registros a los que el usuario tiene acceso."""
    return render(request, "nucleo/inicio.html", {"resumen": resumen_registros(request.user)})


@never_cache
@login_not_required
@require_GET
def salud(request):
    """Responde si la aplicación y PostGIS están disponibles (sin autenticación)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT PostGIS_Lib_Version()")
            postgis = cursor.fetchone()[0]
    except DatabaseError as error:
        return JsonResponse({"estado": "error", "detalle": str(error)}, status=503)
    return JsonResponse({"estado": "ok", "postgis": postgis})
