"""Lista de la API REST (/api/inmuebles/) armada por PostGIS contra el serializador de
djangorestframework-gis (GeoFeatureModelSerializer, Python por elemento) sobre las mismas filas."""

from django.contrib.gis.geos import MultiPolygon
from django.db import connection, transaction

from apps.patrimonio.models import BienInmueble
from bench.pares import CAPA
from capas.models import ElementoReferencia

PREFIJO = "[BENCH] "
MANZANA = 99_000  # roles SII que no existen: los inmuebles del benchmark no se cruzan con la demo
PAGINA = 500  # el tope de limit de la API


@transaction.atomic
def preparar_inmuebles(comuna, cantidad: int) -> None:
    """Crea ``cantidad`` inmuebles con los polígonos de los predios del benchmark (si faltan)."""
    actuales = BienInmueble.objects.filter(nombre__startswith=PREFIJO).count()
    if actuales == cantidad:
        return
    BienInmueble.objects.filter(nombre__startswith=PREFIJO).delete()
    predios = ElementoReferencia.objects.filter(capa__nombre=CAPA).order_by("fid")[:cantidad]
    BienInmueble.objects.bulk_create(
        BienInmueble(
            comuna=comuna,
            nombre=f"{PREFIJO}Predio {p.fid}",
            rol_manzana=MANZANA + p.fid // 1000,
            rol_predio=p.fid,
            destino="equipamiento",
            tenencia="dominio",
            geom=p.geom if isinstance(p.geom, MultiPolygon) else MultiPolygon(p.geom, srid=p.geom.srid),
        )
        for p in predios
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE patrimonio_bieninmueble")


def lista_vs_drf_gis(cliente, _tmp):
    """Una página de 500 inmuebles de /api/inmuebles/ (petición completa por Django y DRF) contra
    GeoFeatureModelSerializer de las mismas 500 filas (solo serializar y renderizar, sin petición)."""
    from rest_framework.renderers import JSONRenderer
    from rest_framework_gis.serializers import GeoFeatureModelSerializer

    class Serializador(GeoFeatureModelSerializer):
        class Meta:
            model = BienInmueble
            geo_field = "geom"
            fields = (
                "id", "nombre", "rol_manzana", "rol_predio", "direccion", "destino", "tenencia",
                "estado_saneamiento", "superficie_m2", "version",
            )  # fmt: skip

    def nuestro():
        respuesta = cliente.get(f"/api/inmuebles/?limit={PAGINA}&offset=0")
        assert respuesta.status_code == 200, respuesta.status_code

    def par():
        consulta = BienInmueble.objects.order_by("pk")[:PAGINA]
        JSONRenderer().render(Serializador(consulta, many=True).data)

    return nuestro, par
