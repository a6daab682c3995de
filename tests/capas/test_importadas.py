"""Capas importadas en el visor y el proyecto QGIS: apagadas, abajo y, si son grandes, como teselas."""

from capas.registro import registro
from tests.capas.test_exportacion_datos import CAPA_CIUDADES, CAPA_INE, cargar_ciudades, cargar_limite_urbano


def test_importadas_abren_apagadas_y_las_grandes_van_en_teselas(comuna, settings):
    cargar_limite_urbano()  # 52 polígonos del INE
    cargar_ciudades()  # 11 puntos
    settings.CAPAS_VISOR_UMBRAL_TESELAS = 20
    ine = registro.obtener(CAPA_INE, todas=True)
    ciudades = registro.obtener(CAPA_CIUDADES, todas=True)
    assert (ine.modo, ine.visible, ine.origen) == ("teselas", False, "importada")
    assert (ciudades.modo, ciudades.visible) == ("geojson", False)
    visor = registro.para_visor(todas=True)
    assert [c.nombre for c in visor[-2:]] == [CAPA_CIUDADES, CAPA_INE]  # referencia abajo
    # Del dominio abren encendidas todas salvo los mapas temáticos (se eligen a propósito) y la
    # zonificación, que cubre el área urbana entera y taparía lo demás.
    apagadas = {
        c.nombre for c in visor if c.origen == "dominio" and not c.visible and c.grupo != "Mapas temáticos"
    }
    assert apagadas == {"zonificacion"}


def test_umbral_por_omision_deja_las_chicas_en_geojson(comuna, settings):
    cargar_limite_urbano()
    assert settings.CAPAS_VISOR_UMBRAL_TESELAS == 2000
    assert registro.obtener(CAPA_INE, todas=True).modo == "geojson"
