"""Registro de capas: declaradas por las apps, importadas desde la base, permisos por capa."""

import pytest
from django.db import connection

from capas.fuentes import FuenteSQL
from capas.registro import Capa, CapaNoEncontrada, Registro, registro
from tests.factories import CENTRO, CapaReferenciaFactory, ProyectoFactory, cuadrado

ESPERADAS = {
    "comunas",
    "localidades",
    "proyectos-puntos",
    "proyectos-lineas",
    "proyectos-areas",
    "inmuebles",
    "activos",
    "concesiones",
    "propuestas-uso-suelo",
}


def test_las_apps_declaran_sus_capas(db):
    assert {c.nombre for c in registro.todas(todas=True)} >= ESPERADAS


def test_el_registro_queda_congelado():
    with pytest.raises(RuntimeError, match="congelado"):
        registro.registrar(registro.obtener("comunas", todas=True))


def test_nombre_de_capa_invalido_se_rechaza():
    fuente = FuenteSQL(tabla="x", pk="t.id", geom="t.geom", atributos=())
    with pytest.raises(ValueError, match="Nombre de capa inválido"):
        Capa(nombre="Mi Capa", titulo="x", grupo="g", tipo_geometria="MultiPolygon", fuente=fuente)


def test_capa_duplicada_se_rechaza():
    fuente = FuenteSQL(tabla="x", pk="t.id", geom="t.geom", atributos=())
    propio = Registro()
    capa = Capa(nombre="dup", titulo="x", grupo="g", tipo_geometria="MultiPolygon", fuente=fuente)
    propio.registrar(capa)
    with pytest.raises(ValueError, match="duplicada"):
        propio.registrar(capa)


def test_permisos_por_capa(consulta, django_user_model, db):
    anonimo = None
    sin_rol = django_user_model.objects.create_user(username="vecino", password="x-clave-2")
    assert registro.obtener("comunas", anonimo).publica
    with pytest.raises(CapaNoEncontrada):
        registro.obtener("proyectos-puntos", anonimo)
    with pytest.raises(CapaNoEncontrada):
        registro.obtener("proyectos-puntos", sin_rol)
    assert registro.obtener("proyectos-puntos", consulta).nombre == "proyectos-puntos"
    assert {c.nombre for c in registro.todas(sin_rol)} == {"comunas", "localidades"}


def test_proyectos_se_reparten_por_tipo_de_geometria(comuna):
    ProyectoFactory(comuna=comuna, geom=cuadrado())
    ProyectoFactory(comuna=comuna)  # punto en el centro del pueblo
    cuentas = {}
    for nombre in ("proyectos-puntos", "proyectos-lineas", "proyectos-areas"):
        fuente = registro.obtener(nombre, todas=True).fuente
        sql, parametros = fuente.seleccion(columnas=f"GeometryType({fuente.geom_salida})")
        with connection.cursor() as cursor:
            cursor.execute(sql, parametros)
            cuentas[nombre] = [fila[0] for fila in cursor.fetchall()]
    assert cuentas == {
        "proyectos-puntos": ["MULTIPOINT"],
        "proyectos-lineas": [],
        "proyectos-areas": ["MULTIPOLYGON"],
    }


def test_capa_importada_aparece_sin_reiniciar_y_lee_atributos_tipados(db):
    capa_bd = CapaReferenciaFactory(
        nombre="humedales-prueba",
        categoria="humedal",
        campos=[{"nombre": "nombre", "tipo": "texto"}, {"nombre": "area_ha", "tipo": "decimal"}],
    )
    capa_bd.elementos.create(fid=1, geom=cuadrado(*CENTRO), atributos={"nombre": "Budi", "area_ha": "12.5"})
    capa = registro.obtener("humedales-prueba", todas=True)
    assert capa.origen == "importada" and capa.permiso == "capas.view_capareferencia"
    fuente = capa.fuente
    sql, parametros = fuente.seleccion(columnas=fuente.columnas_atributos())
    with connection.cursor() as cursor:
        cursor.execute(sql, parametros)
        assert cursor.fetchall() == [("Budi", 12.5)]
    assert [a.tipo for a in fuente.atributos] == ["texto", "decimal"]
