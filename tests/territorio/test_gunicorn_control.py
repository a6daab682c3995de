"""Socket de control de gunicorn: nunca el ~/.gunicorn/gunicorn.ctl que comparten todos los servidores."""

import subprocess
import time

import pytest

from tests.conftest import RAIZ, _entorno_servidor, _puerto_libre, orden_gunicorn

pytestmark = pytest.mark.servidor


def _arrancar_hasta(orden, entorno, registro, senal: str) -> str:
    """Corre gunicorn hasta que su registro muestra ``senal`` y lo detiene; devuelve el registro."""
    with registro.open("w") as salida:
        proceso = subprocess.Popen(orden, cwd=RAIZ, env=entorno, stdout=salida, stderr=subprocess.STDOUT)
        try:
            limite = time.monotonic() + 30
            while senal not in registro.read_text() and time.monotonic() < limite:
                time.sleep(0.1)
        finally:
            proceso.terminate()
            proceso.wait(timeout=10)
    return registro.read_text()


@pytest.fixture
def entorno(tmp_path):
    """Devuelve el entorno del servidor de pruebas con un HOME vacío propio y sin XDG_RUNTIME_DIR."""
    (tmp_path / "home").mkdir()
    valores = {**_entorno_servidor(tmp_path / "static"), "HOME": str(tmp_path / "home")}
    valores.pop("XDG_RUNTIME_DIR", None)
    return valores


def test_gunicorn_de_las_pruebas_no_abre_socket_de_control(entorno, tmp_path):
    orden = [*orden_gunicorn(_puerto_libre()), "--log-level", "debug"]
    registro = _arrancar_hasta(orden, entorno, tmp_path / "gunicorn.log", "Control socket disabled")
    assert "Control socket disabled" in registro
    assert not (tmp_path / "home" / ".gunicorn").exists()
    assert not (RAIZ / "gunicorn.ctl").exists()


def test_socket_de_control_en_var_como_en_run_serve(entorno, tmp_path):
    # La misma opción que ./run serve: --control-socket "$VAR/gunicorn.ctl".
    socket_propio = tmp_path / "var" / "gunicorn.ctl"
    socket_propio.parent.mkdir()
    sin_opcion = [a for a in orden_gunicorn(_puerto_libre()) if a != "--no-control-socket"]
    orden = [*sin_opcion, "--control-socket", str(socket_propio)]
    registro = _arrancar_hasta(orden, entorno, tmp_path / "gunicorn.log", "Control socket listening")
    assert f"Control socket listening at {socket_propio}" in registro
    assert not (tmp_path / "home" / ".gunicorn").exists()
    run = (RAIZ / "run").read_text()
    assert '--control-socket "$VAR/gunicorn.ctl"' in run
