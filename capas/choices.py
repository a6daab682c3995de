"""Opciones del motor de capas."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoriaCapa(models.TextChoices):
    """Categoría de una capa de referencia o de restricción."""

    REFERENCIA = "referencia", _("Referencia general")
    LIMITE = "limite", _("Límite administrativo")
    AREA_PROTEGIDA = "area_protegida", _("Área protegida (SNASPE)")
    HUMEDAL = "humedal", _("Humedal (Ley 21.202)")
    INUNDACION = "inundacion", _("Riesgo de inundación")
    TSUNAMI = "tsunami", _("Riesgo de tsunami")
    REMOCION = "remocion", _("Remoción en masa")
    ZONA_PRC = "zona_prc", _("Zona del Plan Regulador Comunal")
    COMUNIDAD_INDIGENA = "comunidad_indigena", _("Comunidad indígena / ADI")
    CAUCES = "cauces", _("Franja de protección de cauces")
    CUENCA = "cuenca", _("Cuenca hidrográfica")
    PREDIAL = "predial", _("Catastro predial")
    RASTER = "raster", _("Ráster (elevación, índices)")


# Las categorías que restringen usos (para el análisis de superposición).
RESTRICCIONES = {
    CategoriaCapa.AREA_PROTEGIDA,
    CategoriaCapa.HUMEDAL,
    CategoriaCapa.INUNDACION,
    CategoriaCapa.TSUNAMI,
    CategoriaCapa.REMOCION,
    CategoriaCapa.ZONA_PRC,
    CategoriaCapa.COMUNIDAD_INDIGENA,
    CategoriaCapa.CAUCES,
}
