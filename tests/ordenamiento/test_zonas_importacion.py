"""Importación de la zonificación: el PRC real de Las Condes y rechazos todo o nada con su lugar."""

import pytest

from apps.ordenamiento.models import UsoZona, Zona
from apps.ordenamiento.zonas.importacion import zonas_importar
from tests.ordenamiento.conftest import pedido_las_condes


def test_prc_real_de_las_condes_con_su_tabla_de_normas(las_condes):
    resumen = zonas_importar(pedido_las_condes(las_condes))
    assert (resumen["zonas"], resumen["elementos"], resumen["creadas"]) == (66, 423, 66)
    print(resumen)
