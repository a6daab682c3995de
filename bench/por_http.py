"""Benchmark por HTTP: gunicorn levantado como en producción, cliente keep-alive, SQL crudo al lado.

gunicorn corre con la misma orden que ``./run serve`` (``territorio.wsgi``, ``-c
territorio/gunicorn_conf.py``, 3 workers) y con el rol de la aplicación; el cliente es un
``requests.Session`` (una conexión que se reutiliza, como el visor). Cada fila alterna nuestro y par
en la misma corrida. Caché fría: antes de cada repetición se sube la versión de la capa (lo mismo que
hace una escritura; su costo queda del lado nuestro), así que toda tesela se vuelve a armar; tibia:
las teselas ya están guardadas en el worker que atiende la conexión.
"""

import gzip
import http.client
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests

from bench import pares
from capas.registro import registro
from capas.servicio.consultas import extensiones

RAIZ = Path(__file__).resolve().parent.parent
CAPA = pares.CAPA  # bench-predios: las parcelas del nivel S
N_TESELAS = 200


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(url_bd: str, registro: Path, extra: tuple[str, ...] = ()):
    """Levanta gunicorn como ``./run serve`` con la base ``url_bd`` (rol de la aplicación); ``extra``
    cambia opciones para comparar configuraciones (la línea de comandos manda sobre el archivo)."""
    puerto = _puerto_libre()
    orden = [
        str(RAIZ / ".venv" / "bin" / "gunicorn"),
        "territorio.wsgi:application",
        "-c",
        str(RAIZ / "territorio" / "gunicorn_conf.py"),
        "--bind",
        f"127.0.0.1:{puerto}",
        "--workers",
        os.environ.get("TERRITORIO_WORKERS", "3"),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        "127.0.0.1",
        "--no-control-socket",
        *extra,
    ]
    entorno = {**os.environ, "DATABASE_URL": url_bd}
    for variable in ("TERRITORIO_DATABASE_URL_MIGRACION", "TERRITORIO_DATABASE_URL_ADMIN"):
        entorno.pop(variable, None)
    with registro.open("w") as salida:
        proceso = subprocess.Popen(orden, cwd=RAIZ, env=entorno, stdout=salida, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{puerto}"
        try:
            limite = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"{url}/salud/", timeout=5).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > limite or proceso.poll() is not None:
                    raise RuntimeError(f"gunicorn no respondió: {registro.read_text()}")
                time.sleep(0.2)
            yield url
        finally:
            proceso.terminate()
            proceso.wait(timeout=20)


def teselas_predios(n: int = N_TESELAS) -> list[tuple[int, int, int]]:
    """Devuelve hasta ``n`` teselas z12–z14 sobre la extensión de las parcelas (las de z12 y z13
    completas, y de z14 las del centro hasta completar)."""
    xmin, ymin, xmax, ymax = extensiones([registro.obtener(CAPA, todas=True)])[CAPA]
    por_zoom = {}
    for z in (12, 13, 14):
        x0, y0 = pares._tesela(xmin, ymax, z)
        x1, y1 = pares._tesela(xmax, ymin, z)
        por_zoom[z] = [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    teselas = por_zoom[12] + por_zoom[13]
    cx, cy = pares._tesela((xmin + xmax) / 2, (ymin + ymax) / 2, 14)
    z14 = sorted(por_zoom[14], key=lambda t: (t[1] - cx) ** 2 + (t[2] - cy) ** 2)
    return (teselas + z14)[:n]


def _mvt_crudo(capa_id, z, x, y):
    return pares._sql_texto(
        """
        SELECT ST_AsMVT(m, %s, 4096, 'geom') FROM (
            SELECT e.fid, e.atributos->>'rol' AS rol, e.atributos->>'destino' AS destino,
                   (e.atributos->>'superficie_m2')::float8 AS superficie_m2,
                   (e.atributos->>'avaluo')::bigint AS avaluo,
                   ST_AsMVTGeom(ST_Transform(e.geom, 3857), ST_TileEnvelope(%s, %s, %s), 4096, 64) AS geom
            FROM capas_elementoreferencia e
            WHERE e.capa_id = %s AND e.geom && ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326)
        ) m
        """,
        (CAPA, z, x, y, capa_id, z, x, y),
    )


def comparaciones(sesion: "ClienteHTTP") -> list[tuple]:
    """Devuelve (nombre, meta, nuestro, par) de las filas por HTTP."""
    capa_id = pares._capa_id(CAPA)
    teselas = teselas_predios()

    def pedir_teselas(codificacion):
        def pedir():
            for z, x, y in teselas:
                estado, _ = sesion.get(f"/tiles/{CAPA}/{z}/{x}/{y}.pbf", codificacion=codificacion)
                assert estado in (200, 204), estado

        return pedir

    def fria(pedir):
        def medir():
            pares.subir_version(capa_id)
            pedir()

        return medir

    def crudo():
        for z, x, y in teselas:
            _mvt_crudo(capa_id, z, x, y)

    def geojson():
        estado, _ = sesion.get(f"/capas/{CAPA}.geojson", codificacion="gzip")
        assert estado == 200, estado

    def ogc():
        estado, _ = sesion.get(f"/ogcapi/collections/{CAPA}/items", params={"f": "json", "limit": 1000})
        assert estado == 200, estado

    def ogc_crudo():
        return pares._sql_texto(
            """
            SELECT json_build_object('type', 'FeatureCollection',
                'numberMatched', (SELECT count(*) FROM capas_elementoreferencia WHERE capa_id = %s),
                'features', coalesce(json_agg(json_build_object('type', 'Feature', 'id', p.fid,
                    'geometry', ST_AsGeoJSON(p.geom)::json, 'properties', p.atributos)), '[]'::json))::text
            FROM (SELECT e.fid, e.geom, e.atributos FROM capas_elementoreferencia e
                  WHERE e.capa_id = %s ORDER BY e.fid LIMIT 1000) p
            """,
            (capa_id, capa_id),
        )

    n = len(teselas)
    return [
        (f"HTTP MVT {n} teselas z12–14, caché fría (identity)", 1.25, fria(pedir_teselas("identity")), crudo),
        (f"HTTP MVT {n} teselas z12–14, caché fría (gzip)", 1.25, fria(pedir_teselas("gzip")), crudo),
        (f"HTTP MVT {n} teselas z12–14, caché tibia (identity)", None, pedir_teselas("identity"), crudo),
        (f"HTTP MVT {n} teselas z12–14, caché tibia (gzip)", None, pedir_teselas("gzip"), crudo),
        (f"HTTP GeoJSON /capas/{CAPA}.geojson vs SQL", 1.2, geojson, pares._geojson_crudo),
        ("HTTP OGC API items (limit=1000) vs SQL", 1.25, ogc, ogc_crudo),
    ]


class ClienteHTTP:
    """Cliente keep-alive mínimo (http.client: una conexión que se reutiliza, como el visor).

    No ``requests``: su propio trabajo por petición (~0,7 ms medidos aquí) es del cliente, no del
    servidor, y se lo cargaría a nuestro lado de la razón. Lee el cuerpo completo y lo descomprime
    si vino en gzip, como el navegador.
    """

    def __init__(self, url: str, cookies):
        partes = urlsplit(url)
        self.conexion = http.client.HTTPConnection(partes.hostname, partes.port, timeout=30)
        self.cookie = "; ".join(f"{nombre}={morsel.value}" for nombre, morsel in cookies.items())

    def get(self, ruta: str, *, params=None, codificacion: str = "identity") -> tuple[int, bytes]:
        """Devuelve (estado, cuerpo) de ``GET ruta``."""
        if params:
            ruta = f"{ruta}?{urlencode(params)}"
        self.conexion.request("GET", ruta, headers={"Cookie": self.cookie, "Accept-Encoding": codificacion})
        respuesta = self.conexion.getresponse()
        cuerpo = respuesta.read()
        if respuesta.getheader("Content-Encoding") == "gzip":
            cuerpo = gzip.decompress(cuerpo)
        if respuesta.getheader("Connection", "").lower() == "close":
            self.conexion.close()  # se reabre sola en la próxima petición
        return respuesta.status, cuerpo


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Use ./run bench http")
