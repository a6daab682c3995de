"""Configuración de producción: check --deploy limpio y falla temprana si falta un valor."""

import os
import subprocess
import sys

from tests.conftest import RAIZ


def _manage(*args, **entorno):
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "TERRITORIO_HTTPS")}
    base.update(DJANGO_SETTINGS_MODULE="territorio.settings.base", **entorno)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=RAIZ, env=base, capture_output=True, text=True
    )


def test_check_deploy_limpio_con_entorno_de_produccion():
    resultado = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" + "Qx7#pL2v" * 8,
        TERRITORIO_HTTPS="true",
        ALLOWED_HOSTS="territorio.example.cl",
    )
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    assert "no issues" in resultado.stdout


def test_sin_secret_key_no_arranca():
    resultado = _manage("check")
    assert resultado.returncode != 0
    assert "SECRET_KEY" in resultado.stderr
