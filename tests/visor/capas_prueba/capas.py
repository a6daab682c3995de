"""Capa de prueba en modo teselas: los inmuebles de salud, dibujados como MVT."""

from apps.patrimonio.models import BienInmueble
from capas.estilos import Estilo, Simbolo
from capas.fuentes import fuente_de_modelo, permiso_de_ver
from capas.registro import Capa, registro

registro.registrar(
    Capa(
        nombre="inmuebles-salud",
        titulo="Inmuebles de salud (MVT)",
        grupo="Prueba del visor",
        tipo_geometria="MultiPolygon",
        fuente=fuente_de_modelo(
            BienInmueble, campo_geom="geom", atributos=("nombre", "destino"), filtro="t.destino = 'salud'"
        ),
        estilo=Estilo(simbolo=Simbolo(relleno="#d62728", borde="#7f1d1d", opacidad=0.5)),
        permiso=permiso_de_ver(BienInmueble),
        modo="teselas",
    )
)
