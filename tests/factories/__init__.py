"""Fábricas de registros de dominio para las pruebas (factory_boy)."""

import factory
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from apps.patrimonio.models import Activo, BienInmueble, Concesion
from apps.proyectos.models import Proyecto
from capas.models import CapaReferencia

# Lugares reales dentro de Teodoro Schmidt (centro del pueblo y alrededores).
CENTRO = (-73.08928, -38.99460)


def cuadrado(lon=CENTRO[0], lat=CENTRO[1], lado=0.001):
    """Devuelve un MultiPolygon cuadrado de ``lado`` grados con esquina en (lon, lat)."""
    anillo = ((lon, lat), (lon + lado, lat), (lon + lado, lat + lado), (lon, lat + lado), (lon, lat))
    return MultiPolygon(Polygon(anillo), srid=4326)


class ProyectoFactory(factory.django.DjangoModelFactory):
    """Proyecto municipal ubicado en el pueblo de Teodoro Schmidt."""

    class Meta:
        model = Proyecto

    nombre = factory.Sequence(lambda n: f"Proyecto de prueba {n}")
    tipologia = "proyecto"
    etapa = "perfil"
    institucion = "municipal"
    geom = factory.LazyFunction(lambda: Point(*CENTRO, srid=4326))


class BienInmuebleFactory(factory.django.DjangoModelFactory):
    """Inmueble municipal regular en el pueblo."""

    class Meta:
        model = BienInmueble

    nombre = factory.Sequence(lambda n: f"Inmueble {n}")
    rol_manzana = 573
    rol_predio = factory.Sequence(lambda n: n + 1)
    destino = "equipamiento"
    tenencia = "dominio"
    geom = factory.LazyFunction(cuadrado)


class ActivoFactory(factory.django.DjangoModelFactory):
    """Activo sobre un inmueble."""

    class Meta:
        model = Activo

    comuna = factory.SelfAttribute("inmueble.comuna")
    inmueble = factory.SubFactory(BienInmuebleFactory)
    nombre = "Gimnasio municipal"
    tipo = "gimnasio"


class ConcesionFactory(factory.django.DjangoModelFactory):
    """Arriendo vigente de un activo."""

    class Meta:
        model = Concesion

    comuna = factory.SelfAttribute("activo.comuna")
    activo = factory.SubFactory(ActivoFactory)
    tipo = "arriendo"
    titular_nombre = "Cafetería El Budi SpA"
    titular_rut = "76.086.428-5"
    fecha_inicio = factory.Faker("date_between", start_date="-2y", end_date="-1y")


class CapaReferenciaFactory(factory.django.DjangoModelFactory):
    """Capa importada de polígonos (los elementos se crean aparte, con sus atributos)."""

    class Meta:
        model = CapaReferencia

    nombre = factory.Sequence(lambda n: f"capa-prueba-{n}")
    titulo = factory.LazyAttribute(lambda capa: capa.nombre.replace("-", " ").capitalize())
    categoria = "referencia"
    tipo_geometria = "MultiPolygon"
    campos = factory.LazyFunction(list)
    srid_origen = 4326
    archivo_origen = factory.LazyAttribute(lambda capa: f"{capa.nombre}.geojson")
    formato = "GeoJSON"
