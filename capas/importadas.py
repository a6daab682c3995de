"""Proveedor de las capas importadas (CapaReferencia) para el registro."""

from dataclasses import replace

from django.conf import settings

from capas import categorias
from capas.estilos import Estilo, Simbolo
from capas.fuentes import TIPOS, Atributo, FuenteSQL, literal_sql
from capas.memoria import Memoria
from capas.models import CapaReferencia
from capas.registro import Capa

GRUPO = "Capas de referencia"


def simbolo_de(registro_capa) -> Simbolo:
    """Devuelve el símbolo de una capa importada: el de su categoría con lo que la capa fije encima."""
    categoria = categorias.categoria_de(registro_capa.categoria)
    base = categoria.simbolo if categoria else Simbolo()
    return replace(
        base,
        relleno=registro_capa.relleno or base.relleno,
        borde=registro_capa.borde or base.borde,
        ancho=base.ancho if registro_capa.ancho is None else registro_capa.ancho,
        opacidad=base.opacidad if registro_capa.opacidad is None else registro_capa.opacidad,
    )


def capa_de_referencia(registro_capa) -> Capa:
    """Devuelve la Capa publicable de una CapaReferencia (atributos leídos del JSON con su tipo)."""
    atributos = tuple(
        Atributo(
            campo["nombre"],
            f"(t.atributos->>{literal_sql(campo['nombre'])})::{TIPOS[campo['tipo']][0]}",
            campo["tipo"],
            campo["nombre"],
        )
        for campo in registro_capa.campos
    )
    return Capa(
        nombre=registro_capa.nombre,
        titulo=registro_capa.titulo,
        grupo=GRUPO,
        tipo_geometria=registro_capa.tipo_geometria,
        fuente=FuenteSQL(
            tabla='"capas_elementoreferencia"',
            pk="t.fid",
            geom="t.geom",
            atributos=atributos,
            filtro="t.capa_id = %s",
            parametros=(registro_capa.pk,),
            propiedades_json="t.atributos",
        ),
        estilo=Estilo(simbolo=simbolo_de(registro_capa)),
        descripcion=registro_capa.descripcion,
        publica=registro_capa.publica,
        permiso="capas.view_capareferencia",
        origen="importada",
        # Referencia: apagada al abrir el visor y el proyecto QGIS; las grandes, como teselas.
        modo="teselas" if registro_capa.n_elementos > settings.CAPAS_VISOR_UMBRAL_TESELAS else "geojson",
        visible=False,
    )


class ProveedorImportadas:
    """Entrega al registro las capas importadas que hay en la base.

    ``obtener`` (una consulta por tesela o página) recuerda cada capa unos segundos en el proceso:
    un visor pide decenas de teselas por segundo. Los cambios hechos en este proceso la olvidan al
    instante (señales de CapaReferencia); los de otros procesos se ven en a lo más ``VIGENCIA_S``.
    """

    VIGENCIA_S = 5.0

    def __init__(self):
        # No se recuerdan nombres inexistentes: cualquiera puede pedir millones.
        self._recordadas = Memoria(self.VIGENCIA_S, recordar_nulos=False)

    def todas(self):
        """Devuelve todas las capas importadas."""
        return [capa_de_referencia(c) for c in CapaReferencia.objects.all()]

    def obtener(self, nombre: str):
        """Devuelve la capa importada ``nombre`` o None."""
        return self._recordadas.obtener(nombre, lambda: self._leer(nombre))

    @staticmethod
    def _leer(nombre: str) -> Capa | None:
        """Lee la capa importada de la base (None si no existe)."""
        registro_capa = CapaReferencia.objects.filter(nombre=nombre).first()
        return None if registro_capa is None else capa_de_referencia(registro_capa)

    def olvidar(self, **_senal) -> None:
        """Olvida las capas recordadas (receptor de post_save/post_delete de CapaReferencia)."""
        self._recordadas.olvidar()
