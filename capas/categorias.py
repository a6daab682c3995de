"""Categorías de las capas importadas: las del motor y las que declaran las apps de dominio.

El motor solo conoce las genéricas (referencia, límite, cuenca, catastro predial, ráster). Qué es
un humedal o un área protegida, y qué usos restringe, lo sabe el dominio: cada app registra sus
categorías en su ``<app>/capas.py`` con ``categoria_registrar`` (antes de que el registro se congele).
El campo ``categoria`` de los modelos toma sus opciones de ``opciones()`` (un invocable, así una
categoría nueva no exige migración).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from capas.estilos import Simbolo

REFERENCIA = "referencia"
LIMITE = "limite"
CUENCA = "cuenca"
PREDIAL = "predial"
RASTER = "raster"


@dataclass(frozen=True)
class Categoria:
    """Categoría de capa importada: valor guardado, etiqueta y símbolo por omisión de sus capas."""

    valor: str
    etiqueta: str
    simbolo: Simbolo = Simbolo()
    # Las vectoriales se dibujan con su símbolo; la de ráster no tiene.
    vectorial: bool = True


_CATEGORIAS: dict[str, Categoria] = {}


def categoria_registrar(categoria: Categoria) -> None:
    """Registra una categoría (una vez por valor; repetirla igual no cambia nada)."""
    if _CATEGORIAS.get(categoria.valor, categoria) != categoria:
        raise ValueError(f"La categoría «{categoria.valor}» ya está registrada con otra definición.")
    _CATEGORIAS[categoria.valor] = categoria


def opciones() -> list[tuple[str, str]]:
    """Devuelve las opciones (valor, etiqueta) de todas las categorías, en orden de registro."""
    return [(c.valor, c.etiqueta) for c in _CATEGORIAS.values()]


def valores() -> list[str]:
    """Devuelve los valores de las categorías registradas."""
    return list(_CATEGORIAS)


def categoria_de(valor: str) -> Categoria | None:
    """Devuelve la categoría registrada con ese valor (None si no existe)."""
    return _CATEGORIAS.get(valor)


def vectoriales() -> list[Categoria]:
    """Devuelve las categorías de capas vectoriales."""
    return [c for c in _CATEGORIAS.values() if c.vectorial]


for _categoria in (
    Categoria(REFERENCIA, _("Referencia general"), Simbolo("#cfcfcf", "#202020")),
    Categoria(LIMITE, _("Límite administrativo"), Simbolo("#ffffff", "#6a1b9a", ancho=2.5, opacidad=0.0)),
    Categoria(CUENCA, _("Cuenca hidrográfica"), Simbolo("#d4d62a", "#5f6011", opacidad=0.2)),
    Categoria(PREDIAL, _("Catastro predial"), Simbolo("#f2d49b", "#a0522d", ancho=1.0)),
    Categoria(RASTER, _("Ráster (elevación, índices)"), vectorial=False),
):
    categoria_registrar(_categoria)
