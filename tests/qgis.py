"""Cliente real de QGIS para las pruebas: PyQGIS de Debian, sin pantalla, en un proceso aparte.

PyQGIS vive en el Python del sistema (/usr/bin/python3), no en el venv: cada verificación corre un
guion que recibe sus parámetros como JSON y responde JSON por la salida estándar.
"""

import json
import os
import shutil
import subprocess
import tempfile
import textwrap

import pytest

PYTHON_SISTEMA = "/usr/bin/python3"

PREAMBULO = textwrap.dedent(
    """
    import json, sys
    from qgis.core import QgsApplication, QgsMessageLog, Qgis
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    avisos = []
    def _anotar(mensaje, etiqueta, nivel):
        if nivel >= Qgis.Warning:
            avisos.append(f"{etiqueta}: {mensaje}")
    QgsApplication.messageLog().messageReceived.connect(_anotar)
    parametros = json.loads(sys.argv[1])
    """
)


def qgis_disponible() -> bool:
    """Indica si PyQGIS está instalado en el Python del sistema."""
    if not shutil.which(PYTHON_SISTEMA):
        return False
    prueba = subprocess.run([PYTHON_SISTEMA, "-c", "import qgis.core"], capture_output=True)
    return prueba.returncode == 0


def ejecutar_pyqgis(guion: str, **parametros) -> dict:
    """Ejecuta ``guion`` con PyQGIS (debe asignar ``resultado``) y devuelve ``resultado`` + avisos."""
    if not qgis_disponible():
        pytest.fail("Falta PyQGIS: instale python3-qgis qgis-providers (lo hace .ci/run).")
    codigo = (
        PREAMBULO
        + textwrap.dedent(guion)
        + textwrap.dedent(
            """
        # Los mensajes de hilos de proveedores (OAPIF) llegan como eventos encolados: se procesan.
        app.processEvents()
        resultado["avisos"] = avisos
        print("@@RESULTADO@@" + json.dumps(resultado, default=str), flush=True)
        # exitQgis() de QGIS 3.22 a veces cae al liberar memoria: se sale sin esa limpieza.
        import os
        os._exit(0)
        """
        )
    )
    with tempfile.TemporaryDirectory() as tiempo_ejecucion:  # Qt exige un XDG_RUNTIME_DIR 0700
        entorno = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": tiempo_ejecucion}
        proceso = subprocess.run(
            [PYTHON_SISTEMA, "-c", codigo, json.dumps(parametros)],
            capture_output=True,
            text=True,
            env=entorno,
            timeout=300,
        )
    salida = proceso.stdout.split("@@RESULTADO@@")
    if proceso.returncode != 0 or len(salida) < 2:
        pytest.fail(f"PyQGIS falló ({proceso.returncode}):\n{proceso.stdout}\n{proceso.stderr}")
    return json.loads(salida[-1])
