"""QGIS 3.22 real (proveedor OAPIF) contra gunicorn: capas públicas sin credenciales y el resto con Basic."""

import pytest
from django.contrib.gis.geos import Point

from apps.comunas.models import Comuna, Localidad
from apps.comunas.services import localidades_cargar
from apps.proyectos.models import Proyecto
from tests.conftest import usuario_de_servidor
from tests.factories import CENTRO, ProyectoFactory
from tests.qgis import ejecutar_pyqgis

pytestmark = [pytest.mark.qgis, pytest.mark.servidor]
# Con barra final: /ogcapi (sin barra) redirige con Location relativa, que QGIS 3.22 no sigue.

GUION = """
from qgis.core import QgsVectorLayer, QgsWkbTypes
uri = f"url='{parametros['url']}' typename='{parametros['capa']}'"
if parametros.get("extra"):
    uri += " " + parametros["extra"]
capa = QgsVectorLayer(uri, "prueba", "OAPIF")
# capa.error().summary() sobre el temporal cae en PyQGIS 3.22: los motivos quedan en los avisos.
resultado = {"valida": capa.isValid()}
if capa.isValid():
    elementos = list(capa.getFeatures())
    e = capa.extent()
    resultado.update(
        cantidad=capa.featureCount(),
        iterados=len(elementos),
        campos=[c.name() for c in capa.fields()],
        tipo=QgsWkbTypes.displayString(capa.wkbType()),
        nombres=sorted(str(f["nombre"]) for f in elementos),
        extension=[e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()],
    )
"""


def test_qgis_abre_las_comunas_publicas_sin_credenciales(servidor, comuna):
    localidades_cargar(comuna=comuna)
    resultado = ejecutar_pyqgis(GUION, url=f"{servidor}/ogcapi/", capa="comunas")
    assert resultado["valida"], resultado
    assert resultado["cantidad"] == resultado["iterados"] == Comuna.objects.count() == 1
    assert resultado["tipo"] == "MultiPolygon"
    assert {"cut", "nombre", "provincia", "region"} <= set(resultado["campos"])
    assert resultado["nombres"] == [comuna.nombre]
    assert resultado["extension"] == pytest.approx(comuna.limite.extent, abs=1e-6)

    localidades = ejecutar_pyqgis(GUION, url=f"{servidor}/ogcapi/", capa="localidades")
    assert localidades["iterados"] == Localidad.objects.count() == 3
    assert "Teodoro Schmidt" in localidades["nombres"]


def test_qgis_lee_una_capa_no_publica_con_usuario_y_clave_paginando(servidor, comuna):
    usuario_de_servidor("analista", "clave-del-analista-5")
    for i in range(12):
        ProyectoFactory(comuna=comuna, nombre=f"Proyecto QGIS {i:02d}")
    sin_credenciales = ejecutar_pyqgis(GUION, url=f"{servidor}/ogcapi/", capa="proyectos-puntos")
    assert not sin_credenciales["valida"]

    resultado = ejecutar_pyqgis(
        GUION,
        url=f"{servidor}/ogcapi/",
        capa="proyectos-puntos",
        # pageSize pequeño: QGIS debe seguir los enlaces next (tres páginas para 12 proyectos).
        extra="username='analista' password='clave-del-analista-5' pageSize='5'",
    )
    assert resultado["valida"], resultado
    assert resultado["iterados"] == Proyecto.objects.count() == 12
    assert resultado["nombres"] == [f"Proyecto QGIS {i:02d}" for i in range(12)]
    assert resultado["tipo"] in ("MultiPoint", "Point")
    assert resultado["extension"][:2] == pytest.approx(list(CENTRO), abs=1e-6)


GUION_TESELAS = """
from qgis.core import (
    QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsDataSourceUri, QgsFillSymbol,
    QgsMapRendererSequentialJob, QgsMapSettings, QgsPointXY, QgsProject, QgsRectangle,
    QgsVectorTileBasicRenderer, QgsVectorTileBasicRendererStyle, QgsVectorTileLayer, QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

uri = QgsDataSourceUri()
uri.setParam("type", "xyz")
uri.setParam("url", parametros["url"])
uri.setParam("zmin", "0")
uri.setParam("zmax", "14")
capa = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), "teselas")
estilo = QgsVectorTileBasicRendererStyle("relleno", parametros["capa"], QgsWkbTypes.PolygonGeometry)
estilo.setSymbol(QgsFillSymbol.createSimple({"color": "255,0,0,255", "outline_style": "no"}))
dibujo = QgsVectorTileBasicRenderer()
dibujo.setStyles([estilo])
capa.setRenderer(dibujo)

mercator = QgsCoordinateReferenceSystem("EPSG:3857")
wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
a_mercator = QgsCoordinateTransform(wgs84, mercator, QgsProject.instance())
oeste, sur, este, norte = parametros["extension"]
ajustes = QgsMapSettings()
ajustes.setLayers([capa])
ajustes.setDestinationCrs(mercator)
ajustes.setOutputSize(QSize(512, 512))
ajustes.setBackgroundColor(QColor(255, 255, 255))
ajustes.setExtent(a_mercator.transformBoundingBox(QgsRectangle(oeste, sur, este, norte)))
trabajo = QgsMapRendererSequentialJob(ajustes)
trabajo.start()
trabajo.waitForFinished()
imagen = trabajo.renderedImage()

def color(lon, lat):
    p = ajustes.mapToPixel().transform(a_mercator.transform(QgsPointXY(lon, lat)))
    return QColor(imagen.pixel(int(p.x()), int(p.y()))).getRgb()[:3]

rojos = sum(
    1
    for i in range(0, 512, 4)
    for j in range(0, 512, 4)
    if QColor(imagen.pixel(i, j)).getRgb()[:3] == (255, 0, 0)
)
resultado = {
    "valida": capa.isValid(),
    "dentro": color(*parametros["dentro"]),
    "fuera": color(*parametros["fuera"]),
    "fraccion_roja": rojos / (128 * 128),
}
"""


def test_qgis_dibuja_las_teselas_vectoriales_de_la_comuna(servidor, comuna):
    """QGIS pide las teselas MVT por HTTP, las decodifica y dibuja la comuna donde está."""
    oeste, sur, este, norte = comuna.limite.extent
    dentro = comuna.limite.point_on_surface
    # Cerca de alguna esquina de la extensión (5 % hacia adentro) hay un punto fuera de la comuna.
    dx, dy = (este - oeste) * 0.05, (norte - sur) * 0.05
    esquinas = [(x, y) for x in (oeste + dx, este - dx) for y in (sur + dy, norte - dy)]
    fuera = next(p for p in esquinas if comuna.limite.distance(Point(*p, srid=comuna.limite.srid)) > 0.005)
    resultado = ejecutar_pyqgis(
        GUION_TESELAS,
        url=f"{servidor}/tiles/comunas/{{z}}/{{x}}/{{y}}.pbf",
        capa="comunas",
        extension=[oeste, sur, este, norte],
        dentro=[dentro.x, dentro.y],
        fuera=list(fuera),
    )
    assert resultado["valida"], resultado
    assert resultado["dentro"] == [255, 0, 0], resultado
    assert resultado["fuera"] == [255, 255, 255], resultado
    # La comuna llena buena parte de su extensión, no toda.
    assert 0.2 < resultado["fraccion_roja"] < 0.95, resultado
    assert resultado["avisos"] == []
