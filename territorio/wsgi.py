"""Aplicación WSGI de Territorio (gunicorn territorio.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territorio.settings.base")
application = get_wsgi_application()
# Cada worker importa todas las vistas (y lo que ellas importan, como folium) al arrancar y no en su
# primera petición: un worker recién levantado responde a tiempo aunque la máquina esté ocupada.
get_resolver().url_patterns  # noqa: B018
