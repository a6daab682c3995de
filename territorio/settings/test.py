"""Configuración de pruebas: la misma base, con hash de claves rápido y estáticos sin manifiesto."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "solo-para-pruebas-" + "x" * 40)

from territorio.settings.base import *  # noqa: E402,F403

# MD5 por rapidez; PBKDF2 también, para cuentas que usa el servidor real de la prueba de humo.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Nombre propio de la base de pruebas para correr suites en paralelo sobre el mismo clúster.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TERRITORIO_DB_PRUEBAS", "test_territorio")}  # noqa: F405
# Las carpetas de trabajo de las pruebas van al temporal del sistema, no al var/ de la instalación.
if not os.environ.get("CAPAS_TRABAJOS_DIR"):
    CAPAS_TRABAJOS_DIR = Path(tempfile.gettempdir()) / "territorio-pruebas-trabajos"
