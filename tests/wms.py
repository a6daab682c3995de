"""WMS real y local para las pruebas: MapServer de Debian (``mapserv`` como CGI) sobre datos de prueba.

Un servidor HTTP mínimo en 127.0.0.1 ejecuta ``mapserv`` por cada petición (sin shell: la consulta y
el mapfile van por el entorno, como los pasa un servidor web a un CGI). ``./run test`` instala
MapServer (``cgi-mapserver``). Los mapas base se prueban así, nunca contra internet.
"""

import contextlib
import json
import shutil
import struct
import subprocess
import threading
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Color con que el mapfile pinta las zonas (RGB): las pruebas lo buscan en los píxeles.
COLOR_ZONAS = (214, 39, 40)
# Un rectángulo que cubre Teodoro Schmidt (lon, lat) y la extensión que anuncia el servicio.
ZONA = (-73.35, -39.20, -72.85, -38.85)
EXTENSION = (-74.0, -40.0, -72.0, -38.0)


def ruta_mapserv() -> str:
    """Devuelve la ruta de ``mapserv`` o falla con la instrucción para instalarlo."""
    cgi = Path("/usr/lib/cgi-bin/mapserv")
    ruta = shutil.which("mapserv") or (str(cgi) if cgi.exists() else None)
    if not ruta:
        pytest.fail("Falta MapServer: ./run test lo instala (apt-get install cgi-mapserver mapserver-bin).")
    return ruta


def escribir_mapfile(carpeta: Path) -> Path:
    """Escribe un GeoJSON con la zona de prueba y el mapfile que la publica como capa WMS «zonas»."""
    o, s, e, n = ZONA
    datos = carpeta / "zonas.geojson"
    datos.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"nombre": "Zona de prueba"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[o, s], [e, s], [e, n], [o, n], [o, s]]],
                        },
                    }
                ],
            }
        )
    )
    r, g, b = COLOR_ZONAS
    eo, es, ee, en = EXTENSION
    mapfile = carpeta / "prueba.map"
    mapfile.write_text(
        f"""MAP
  NAME "territorio_prueba"
  EXTENT {eo} {es} {ee} {en}
  SIZE 256 256
  UNITS DD
  IMAGETYPE png
  PROJECTION "init=epsg:4326" END
  WEB
    METADATA
      "wms_title" "Territorio: WMS de prueba"
      "wms_srs" "EPSG:4326 EPSG:3857"
      "wms_enable_request" "*"
      "wms_onlineresource" "http://127.0.0.1/wms?"
    END
  END
  LAYER
    NAME "zonas"
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE OGR
    CONNECTION "{datos}"
    PROJECTION "init=epsg:4326" END
    METADATA "wms_title" "Zonas de prueba" END
    CLASS
      STYLE COLOR {r} {g} {b} END
    END
  END
END
"""
    )
    # MapServer 8 lee su configuración; solo se aceptan mapfiles de esta carpeta.
    (carpeta / "mapserver.conf").write_text(f'CONFIG\n  ENV\n    MS_MAP_PATTERN "^{carpeta}/"\n  END\nEND\n')
    return mapfile


def pixeles_png(png: bytes) -> list[tuple[int, ...]]:
    """Devuelve los píxeles (r, g, b[, a]) de un PNG de 8 bits RGB o RGBA sin entrelazar.

    Basta para las imágenes de MapServer y las capturas de Chromium, sin Pillow.
    """
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "no es un PNG"
    posicion, datos = 8, b""
    while posicion < len(png):
        largo, tipo = struct.unpack(">I4s", png[posicion : posicion + 8])
        trozo = png[posicion + 8 : posicion + 8 + largo]
        if tipo == b"IHDR":
            ancho, alto, bits, color, _c, _f, entrelazado = struct.unpack(">IIBBBBB", trozo)
            assert bits == 8 and color in (2, 6) and not entrelazado, (bits, color, entrelazado)
        elif tipo == b"IDAT":
            datos += trozo
        posicion += 12 + largo
    canales = 4 if color == 6 else 3
    crudo = zlib.decompress(datos)
    paso = ancho * canales
    anterior = bytearray(paso)
    pixeles = []
    for fila in range(alto):
        inicio = fila * (paso + 1)
        filtro, linea = crudo[inicio], bytearray(crudo[inicio + 1 : inicio + 1 + paso])
        for i in range(paso):
            izq = linea[i - canales] if i >= canales else 0
            arriba = anterior[i]
            diag = anterior[i - canales] if i >= canales else 0
            if filtro == 1:
                linea[i] = (linea[i] + izq) & 0xFF
            elif filtro == 2:
                linea[i] = (linea[i] + arriba) & 0xFF
            elif filtro == 3:
                linea[i] = (linea[i] + (izq + arriba) // 2) & 0xFF
            elif filtro == 4:
                p = izq + arriba - diag
                pa, pb, pc = abs(p - izq), abs(p - arriba), abs(p - diag)
                cercano = izq if pa <= pb and pa <= pc else (arriba if pb <= pc else diag)
                linea[i] = (linea[i] + cercano) & 0xFF
        pixeles.extend(tuple(linea[j : j + canales]) for j in range(0, paso, canales))
        anterior = linea
    return pixeles


def cuantos_del_color(png: bytes, color: tuple[int, int, int], tolerancia: int = 12) -> int:
    """Devuelve cuántos píxeles opacos del PNG tienen ``color`` (± ``tolerancia`` por canal)."""
    opacos = (p for p in pixeles_png(png) if len(p) == 3 or p[3] > 200)
    return sum(1 for p in opacos if all(abs(a - b) <= tolerancia for a, b in zip(p[:3], color, strict=True)))


@dataclass
class ServidorWMS:
    """WMS local: su URL (``/wms``) y las consultas que recibió (para comprobar quién lo pidió)."""

    url: str
    peticiones: list[str] = field(default_factory=list)


def _manejador(mapserv: str, mapfile: Path, registro: list[str]):
    """Devuelve la clase que atiende cada GET ejecutando ``mapserv`` como CGI."""
    entorno_base = {
        "MAPSERVER_CONFIG_FILE": str(mapfile.parent / "mapserver.conf"),
        "MS_MAPFILE": str(mapfile),
        "REQUEST_METHOD": "GET",
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH": "/usr/bin:/bin",
    }

    class Manejador(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (nombre que exige http.server)
            partes = urlsplit(self.path)
            if partes.path != "/wms":
                self.send_error(404)
                return
            registro.append(partes.query)
            entorno = {
                **entorno_base,
                "QUERY_STRING": partes.query,
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": str(self.server.server_address[1]),
                "SCRIPT_NAME": "/wms",
            }
            salida = subprocess.run([mapserv], env=entorno, capture_output=True, timeout=30, check=False)
            cabeceras, _sep, cuerpo = salida.stdout.partition(b"\r\n\r\n")
            if not _sep:
                cabeceras, _sep, cuerpo = salida.stdout.partition(b"\n\n")
            estado = 200
            tipo = "application/octet-stream"
            for linea in cabeceras.decode("latin-1").splitlines():
                nombre, _dos, valor = linea.partition(":")
                if nombre.lower() == "content-type":
                    tipo = valor.strip()
                elif nombre.lower() == "status":
                    estado = int(valor.split()[0])
            self.send_response(estado if salida.returncode == 0 else 500)
            self.send_header("Content-Type", tipo)
            self.send_header("Content-Length", str(len(cuerpo)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            # Leaflet cancela las teselas que ya no ve (y el navegador se cierra al terminar).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(cuerpo)

        def log_message(self, *args):
            """Sin registro en la salida de las pruebas."""

    return Manejador


@pytest.fixture
def wms(tmp_path):
    """Levanta un WMS de MapServer en 127.0.0.1 (puerto al azar) y lo apaga al terminar."""
    mapserv = ruta_mapserv()
    carpeta = tmp_path / "wms"
    carpeta.mkdir()
    mapfile = escribir_mapfile(carpeta)
    servicio = ServidorWMS(url="")
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), _manejador(mapserv, mapfile, servicio.peticiones))
    servidor.daemon_threads = True
    servicio.url = f"http://127.0.0.1:{servidor.server_address[1]}/wms"
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    try:
        yield servicio
    finally:
        servidor.shutdown()
        servidor.server_close()
        hilo.join(timeout=5)
