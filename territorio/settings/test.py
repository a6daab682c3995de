"""Configuración de pruebas: la misma base, con hash de claves rápido y estáticos sin manifiesto."""

import os

os.environ.setdefault("SECRET_KEY", "solo-para-pruebas-" + "x" * 40)

from territorio.settings.base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
