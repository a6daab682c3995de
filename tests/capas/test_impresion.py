"""Módulo de dibujo e impresión de mapas: la hoja en PDF y PNG leída de vuelta (texto y píxeles)."""

import io

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone
from PIL import Image

from capas.mapas import cartela, dibujo, impresion
from capas.registro import registro
from capas.srid import reproyectar
from tests.capas.hojas_impresas import color_mezclado, pagina_como_imagen, texto_pdf
from tests.capas.test_exportacion_datos import CAPA_INE

PERMALINK = (
    "http://127.0.0.1:8000/mapa/#z=14&c=-73.10,-38.99&capas=inmuebles,limite-urbano-ine&f_etapa=diseno"
)


def test_escala_redonda_numeros_y_barra_en_es_cl():
    assert [dibujo.escala_redonda(x) for x in (9_999, 10_000, 10_001, 23_000, 130_001)] == [
        10_000,
        10_000,
        12_500,
        25_000,
        150_000,
    ]
    assert cartela.numero_es(1234567.891, 1) == "1.234.567,9"
    assert [cartela.distancia_es(m) for m in (0.5e3, 1e3, 2.5e3, 20e3)] == [
        "500 m",
        "1 km",
        "2,5 km",
        "20 km",
    ]
    # 45 mm a 1:25.000 son 1.125 m: la barra redonda que cabe es de 1 km.
    assert cartela.largo_barra(25_000, 45) == 1000
    assert cartela.largo_barra(50_000, 45) == 2000


def pixel_del_terreno(compuesta, imagen: np.ndarray, x: float, y: float) -> np.ndarray:
    """Devuelve el color de la imagen de la hoja en el punto de terreno (x, y) del SRID del mapa."""
    alto, ancho = imagen.shape[:2]
    caja = compuesta.figura.axes[0].get_position()
    m = compuesta.marco
    columna = (caja.x0 + (x - m.xmin) / (m.xmax - m.xmin) * caja.width) * ancho
    fila = (1 - (caja.y0 + (y - m.ymin) / (m.ymax - m.ymin) * caja.height)) * alto
    return imagen[int(fila), int(columna)].astype(float)


@pytest.fixture
def urbano_mayor(datos):
    """Devuelve (bbox lon/lat alrededor, punto interior) del mayor límite urbano de la comuna."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsText(ST_PointOnSurface(e.geom)), ST_XMin(e.geom), ST_YMin(e.geom), "
            "ST_XMax(e.geom), ST_YMax(e.geom) FROM capas_elementoreferencia e "
            "JOIN capas_capareferencia c ON c.id = e.capa_id JOIN comunas_comuna m ON m.cut = '09117' "
            "WHERE c.nombre = %s AND ST_Intersects(e.geom, m.limite) ORDER BY ST_Area(e.geom) DESC LIMIT 1",
            [CAPA_INE],
        )
        punto, oeste, sur, este, norte = cursor.fetchone()
    margen = 0.01
    return (oeste - margen, sur - margen, este + margen, norte + margen), punto


def test_hoja_con_las_capas_de_la_vista_su_leyenda_escala_fecha_y_enlace(datos, urbano_mayor, tmp_path):
    from django.contrib.gis.geos import GEOSGeometry

    bbox, punto = urbano_mayor
    capas = tuple(
        registro.obtener(n, todas=True) for n in ("proyectos-puntos", "inmuebles", CAPA_INE, "comunas")
    )
    hoja = impresion.Hoja(
        titulo="Límite urbano y bienes municipales — prueba",
        bbox=bbox,
        capas=capas,
        autor="Ana Pérez",
        fecha=timezone.localtime(),
        permalink=PERMALINK,
    )
    compuesta = impresion.hoja_componer(hoja)
    pdf, png = tmp_path / "mapa.pdf", tmp_path / "mapa.png"
    impresion.hoja_guardar(compuesta, hoja, pdf=pdf, png=png)

    # Las líneas partidas (títulos largos de la leyenda) se comparan como texto corrido.
    texto = " ".join(texto_pdf(pdf.read_bytes()).split())
    # La vista es una parte de la comuna: lleva mapa de ubicación.
    for esperado in (
        hoja.titulo,
        "Leyenda",
        "Límites urbanos INE 2017 (Araucanía)",
        "Límite comunal",
        "Ubicación en la comuna",
    ):
        assert esperado in texto
    assert f"Impreso el {cartela.fecha_es(hoja.fecha)} por Ana Pérez" in texto
    assert PERMALINK in "".join(texto.split()), "el enlace se imprime entero (partido en líneas)"
    assert f"Escala 1:{cartela.numero_es(compuesta.marco.escala)}" in texto
    assert compuesta.marco.srid == 5362 and "EPSG:5362" in texto
    # La leyenda muestra las categorías que aparecen en la vista, con su etiqueta (no su código).
    inmuebles = compuesta.dibujadas[1]
    etiquetas = {c.valor: c.etiqueta for c in inmuebles.capa.estilo.categorias}
    for valor in inmuebles.categorias:
        assert etiquetas[valor] in texto

    # La página renderizada no está en blanco y el interior del límite urbano tiene su relleno.
    imagen = pagina_como_imagen(pdf.read_bytes())
    assert (imagen < 250).any(axis=2).mean() > 0.02
    interior = reproyectar(GEOSGeometry(punto, srid=4326), compuesta.marco.srid)
    esperado = color_mezclado(capas[2].estilo.simbolo)
    assert np.abs(pixel_del_terreno(compuesta, imagen, interior.x, interior.y) - esperado).max() < 12
    # El PNG es la misma hoja (A4 a 150 ppp) con el mismo relleno en el mismo lugar.
    foto = np.asarray(Image.open(io.BytesIO(png.read_bytes())).convert("RGB"))
    assert foto.shape[:2] == (1240, 1753)
    assert np.abs(pixel_del_terreno(compuesta, foto, interior.x, interior.y) - esperado).max() < 12


def test_condiciones_del_visor_filtran_lo_dibujado_y_la_leyenda(datos, comuna):
    """El enganche de filtros (``condiciones``) agrega su SQL a la sentencia de cada capa."""
    from matplotlib.figure import Figure

    from apps.patrimonio.models import BienInmueble

    inmuebles = registro.obtener("inmuebles", todas=True)
    estados = sorted(set(BienInmueble.objects.values_list("estado_saneamiento", flat=True)))
    assert len(estados) >= 2, "la demo trae inmuebles en más de un estado de saneamiento"
    marco = dibujo.marco_para(comuna.limite.extent, srid=5362, ancho_mm=200, alto_mm=150)
    todos = dibujo.capas_dibujar(Figure().add_subplot(), [inmuebles], marco)[0]
    assert todos.categorias == set(estados) and todos.elementos == BienInmueble.objects.count()

    def solo_el_primero(capa):
        return ("t.estado_saneamiento = %s", (estados[0],)) if capa.nombre == "inmuebles" else ("TRUE", ())

    filtrado = dibujo.capas_dibujar(Figure().add_subplot(), [inmuebles], marco, condiciones=solo_el_primero)[
        0
    ]
    assert filtrado.categorias == {estados[0]}
    assert filtrado.elementos == BienInmueble.objects.filter(estado_saneamiento=estados[0]).count()


def test_hoja_a3_con_signos_pesos_en_el_titulo_se_imprime_tal_cual(comuna, tmp_path):
    """Un «$» no activa fórmulas de matplotlib y la hoja A3 sale a su tamaño con la misma vista."""
    titulo = "Inversión $ 1.500 millones y $ 300 (50% FNDR) #1 _2 ^3"
    comunas = registro.obtener("comunas", todas=True)
    hojas = {}
    for formato in ("a4-horizontal", "a3-horizontal"):
        hoja = impresion.Hoja(
            titulo=titulo,
            bbox=comuna.limite.extent,
            capas=(comunas,),
            autor="Ana",
            fecha=timezone.localtime(),
            formato=formato,
        )
        compuesta = impresion.hoja_componer(hoja)
        pdf, png = tmp_path / f"{formato}.pdf", tmp_path / f"{formato}.png"
        impresion.hoja_guardar(compuesta, hoja, pdf=pdf, png=png)
        hojas[formato] = (compuesta.marco.escala, Image.open(png).size)
        assert titulo in texto_pdf(pdf.read_bytes())
    assert hojas["a4-horizontal"][1] == (1753, 1240) and hojas["a3-horizontal"][1] == (2480, 1753)
    # Más papel, misma vista: la A3 la muestra a una escala igual o más grande (número menor).
    assert hojas["a3-horizontal"][0] < hojas["a4-horizontal"][0]
