"""Propuestas de uso de suelo con las etapas de su flujo, zonificación y restricciones preparadas."""

import pgtrigger
from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.comunas.models import EnComuna
from apps.comunas.reglas_bd import dentro_de_comuna
from apps.nucleo.auditoria import auditado
from apps.nucleo.concurrencia import version_automatica
from apps.nucleo.models import MarcableDemo, Versionado
from apps.ordenamiento.choices import Condicion, EstadoPropuesta, InstrumentoPlanificacion, UsoSuelo
from capas.reglas_bd import geometria_valida


@auditado
class PropuestaUsoSuelo(EnComuna, Versionado, MarcableDemo):
    """Propuesta de uso de suelo sobre un polígono, con su justificación y estado."""

    nombre = models.CharField(_("nombre"), max_length=200)
    uso_propuesto = models.CharField(_("uso propuesto"), max_length=30, choices=UsoSuelo.choices)
    justificacion = models.TextField(_("justificación"))
    estado = models.CharField(
        _("estado"), max_length=20, choices=EstadoPropuesta.choices, default=EstadoPropuesta.BORRADOR
    )
    geom = models.MultiPolygonField(_("polígono"), srid=settings.TERRITORIO_SRID)

    class Meta:
        verbose_name = _("propuesta de uso de suelo")
        verbose_name_plural = _("propuestas de uso de suelo")
        ordering = ["-modificado"]
        constraints = [geometria_valida("geom", "propuesta")]
        triggers = [version_automatica(), dentro_de_comuna("geom")]
        # Permisos del flujo (apps/ordenamiento/flujo.py): el rol decide quién mueve cada etapa.
        permissions = [
            ("enviar_propuesta", _("Puede enviar propuestas a revisión")),
            ("devolver_propuesta", _("Puede devolver a borrador propuestas en revisión")),
            ("presentar_propuesta", _("Puede presentar propuestas al Concejo")),
            ("decidir_propuesta", _("Puede registrar la decisión del Concejo sobre propuestas")),
        ]

    def __str__(self):
        return self.nombre

    @property
    def editable(self) -> bool:
        """Indica si la propuesta se puede editar o eliminar (solo en borrador)."""
        return self.estado == EstadoPropuesta.BORRADOR


def etapa_inmutable() -> pgtrigger.Trigger:
    """Devuelve el trigger que rechaza modificar una etapa: lo congelado no cambia nunca."""
    return pgtrigger.Trigger(
        name="etapa_inmutable",
        operation=pgtrigger.Update,
        when=pgtrigger.Before,
        func="""
            RAISE EXCEPTION USING
                ERRCODE = 'check_violation',
                MESSAGE = 'Una etapa de una propuesta no se modifica: registra lo que hubo en ese momento.';
        """,
    )


class EtapaPropuesta(EnComuna):
    """Paso del flujo de una propuesta: quién, cuándo, de qué estado a cuál y la propuesta congelada."""

    propuesta = models.ForeignKey(
        PropuestaUsoSuelo, on_delete=models.CASCADE, related_name="etapas", verbose_name=_("propuesta")
    )
    desde = models.CharField(_("desde"), max_length=20, choices=EstadoPropuesta.choices)
    hacia = models.CharField(_("hacia"), max_length=20, choices=EstadoPropuesta.choices)
    # Las cuentas se desactivan, no se borran: la etapa conserva a su autor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("actor")
    )
    fecha = models.DateTimeField(_("fecha"), default=timezone.now)
    version = models.PositiveIntegerField(_("versión de la propuesta"))
    nombre = models.CharField(_("nombre"), max_length=200)
    uso_propuesto = models.CharField(_("uso propuesto"), max_length=30, choices=UsoSuelo.choices)
    justificacion = models.TextField(_("justificación"))
    geom = models.MultiPolygonField(_("polígono"), srid=settings.TERRITORIO_SRID)
    informe = models.JSONField(_("informe de superposición"), encoder=DjangoJSONEncoder)
    fecha_sesion = models.DateField(_("fecha de la sesión del Concejo"), null=True, blank=True)
    numero_acuerdo = models.CharField(_("número de acuerdo"), max_length=40, blank=True)
    observacion = models.TextField(_("observación"), blank=True)

    class Meta:
        verbose_name = _("etapa de propuesta")
        verbose_name_plural = _("etapas de propuestas")
        ordering = ["propuesta", "fecha", "pk"]
        constraints = [
            geometria_valida("geom", "etapapropuesta"),
            models.CheckConstraint(
                condition=~models.Q(hacia__in=("aprobada", "rechazada"))
                | (models.Q(fecha_sesion__isnull=False) & ~models.Q(numero_acuerdo="")),
                name="etapapropuesta_decision_con_acuerdo",
                violation_error_message=_(
                    "La decisión del Concejo exige fecha de sesión y número de acuerdo."
                ),
            ),
        ]
        triggers = [etapa_inmutable()]

    def __str__(self):
        return f"{self.propuesta_id}: {self.get_desde_display()} → {self.get_hacia_display()}"


__all__ = [
    "CapaPreparada",
    "CategoriaPreparada",
    "EtapaPropuesta",
    "FragmentoCapa",
    "FragmentoCategoria",
    "FragmentoElemento",
    "InstrumentoPlanificacion",
    "PropuestaUsoSuelo",
    "UsoZona",
    "Zona",
]

# Normas urbanísticas de una zona: (campo, nombre legible, unidad). Ninguna es negativa.
NORMAS = (
    ("densidad_max_hab_ha", _("densidad máxima"), "hab/ha"),
    ("altura_max_m", _("altura máxima"), "m"),
    ("constructibilidad", _("coeficiente de constructibilidad"), ""),
    ("ocupacion_suelo", _("coeficiente de ocupación de suelo"), ""),
    ("superficie_predial_minima_m2", _("superficie predial mínima"), "m²"),
    ("antejardin_m", _("antejardín"), "m"),
)
_NO_NEGATIVA = MinValueValidator(0, _("No puede ser negativa."))


def _norma(nombre, ayuda: str, *, maximo: float | None = None):
    """Devuelve el campo de una norma: opcional (sin norma = vacío) y no negativa."""
    validadores = [_NO_NEGATIVA]
    if maximo is not None:
        validadores.append(MaxValueValidator(maximo, _("Es una fracción del predio: de 0 a 1.")))
    return models.FloatField(nombre, null=True, blank=True, validators=validadores, help_text=ayuda)


@auditado
class Zona(EnComuna, Versionado, MarcableDemo):
    """Zona de un instrumento de planificación: código, nombre, normas urbanísticas y polígono."""

    instrumento = models.CharField(_("instrumento"), max_length=20, choices=InstrumentoPlanificacion.choices)
    nombre_instrumento = models.CharField(
        _("nombre del instrumento"),
        max_length=200,
        blank=True,
        help_text=_("Como se conoce el instrumento vigente, p. ej. «PRC Teodoro Schmidt 2015»."),
    )
    codigo = models.CharField(
        _("código"), max_length=40, help_text=_("Código de la zona en el plan, p. ej. ZU-1.")
    )
    nombre = models.CharField(_("nombre"), max_length=200)
    densidad_max_hab_ha = _norma(
        _("densidad máxima (hab/ha)"), _("Densidad bruta máxima, en habitantes por hectárea.")
    )
    altura_max_m = _norma(_("altura máxima (m)"), _("Altura máxima de edificación, en metros."))
    constructibilidad = _norma(
        _("coeficiente de constructibilidad"),
        _("Superficie edificable sobre la superficie del predio (p. ej. 1,8)."),
    )
    ocupacion_suelo = _norma(
        _("coeficiente de ocupación de suelo"),
        _("Fracción del predio que puede ocupar la edificación en el primer piso, de 0 a 1 (p. ej. 0,4)."),
        maximo=1,
    )
    superficie_predial_minima_m2 = _norma(
        _("superficie predial mínima (m²)"), _("Superficie mínima de un predio al subdividir, en m².")
    )
    antejardin_m = _norma(_("antejardín (m)"), _("Profundidad mínima del antejardín, en metros."))
    geom = models.MultiPolygonField(_("polígono"), srid=settings.TERRITORIO_SRID)

    class Meta:
        verbose_name = _("zona")
        verbose_name_plural = _("zonas")
        ordering = ["instrumento", "nombre_instrumento", "codigo"]
        constraints = [
            models.UniqueConstraint(
                fields=["comuna", "instrumento", "nombre_instrumento", "codigo"], name="zona_codigo_unico"
            ),
            geometria_valida("geom", "zona"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{campo}__gte": 0}), name=f"zona_{campo}_no_negativa"
                )
                for campo, _nombre, _unidad in NORMAS
            ),
            models.CheckConstraint(condition=models.Q(ocupacion_suelo__lte=1), name="zona_ocupacion_hasta_1"),
        ]
        triggers = [version_automatica(), dentro_de_comuna("geom")]

    def __str__(self):
        return f"{self.codigo} {self.nombre}" if self.nombre and self.nombre != self.codigo else self.codigo


@auditado
class UsoZona(models.Model):
    """Condición (permitido, condicionado, prohibido) de un uso de suelo en una zona."""

    zona = models.ForeignKey(Zona, on_delete=models.CASCADE, related_name="usos", verbose_name=_("zona"))
    uso = models.CharField(_("uso de suelo"), max_length=30, choices=UsoSuelo.choices)
    condicion = models.CharField(_("condición"), max_length=20, choices=Condicion.choices)
    observacion = models.TextField(
        _("observación"), blank=True, help_text=_("Condiciones o clases admitidas, según la ordenanza.")
    )

    class Meta:
        verbose_name = _("uso de suelo de una zona")
        verbose_name_plural = _("usos de suelo de las zonas")
        ordering = ["zona", "uso"]
        constraints = [models.UniqueConstraint(fields=["zona", "uso"], name="usozona_uso_unico")]

    def __str__(self):
        return f"{self.zona.codigo}: {self.get_uso_display()} {self.get_condicion_display().lower()}"


class CapaPreparada(models.Model):
    """Capa de restricción disuelta y partida en fragmentos métricos, lista para el análisis.

    Caché derivada de los elementos de la capa (la reconstruye ``preparacion``): vale mientras su
    ``version`` sea la versión actual de la capa; si no, el análisis calcula esa capa desde sus
    elementos. El SRID de ``geom`` es el métrico de la comuna de la capa (columna sin SRID fijo).
    """

    capa = models.OneToOneField(
        "capas.CapaReferencia", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField(_("versión de la capa"), null=True)
    srid = models.PositiveIntegerField(_("SRID métrico"))
    preparada = models.DateTimeField(_("preparada"), auto_now=True)

    class Meta:
        verbose_name = _("capa preparada")
        verbose_name_plural = _("capas preparadas")


class FragmentoCapa(models.Model):
    """Fragmento (pocos vértices) de la disolución de una capa, en el SRID métrico, con su área."""

    capa = models.ForeignKey(CapaPreparada, on_delete=models.CASCADE, related_name="fragmentos")
    geom = models.GeometryField(_("geometría"), srid=0, spatial_index=False)
    area_m2 = models.FloatField(_("área (m²)"))

    class Meta:
        verbose_name = _("fragmento de capa")
        verbose_name_plural = _("fragmentos de capa")
        # Capa y geometría en un solo GiST (btree_gist): «el fragmento más cercano de esta capa» es
        # una búsqueda KNN que no recorre los fragmentos de las demás capas.
        indexes = [GistIndex(fields=["capa", "geom"], name="fragmentocapa_capa_geom")]


class FragmentoElemento(models.Model):
    """Fragmento de un elemento de una capa (sin disolver), en el SRID métrico: da la más cercana.

    A diferencia de FragmentoCapa conserva de qué elemento es (``fid``): la restricción más cercana
    sale de una búsqueda KNN sin medir el polígono entero, que puede tener decenas de miles de
    vértices.
    """

    capa = models.ForeignKey(CapaPreparada, on_delete=models.CASCADE, related_name="fragmentos_elemento")
    fid = models.PositiveIntegerField(_("fid del elemento"))
    geom = models.GeometryField(_("geometría"), srid=0, spatial_index=False)

    class Meta:
        verbose_name = _("fragmento de elemento")
        verbose_name_plural = _("fragmentos de elemento")
        indexes = [GistIndex(fields=["capa", "geom"], name="fragmentoelemento_capa_geom")]


class CategoriaPreparada(models.Model):
    """Categoría de restricción de una comuna disuelta (sin dobles conteos) y partida en fragmentos.

    ``firma`` lista «capa:versión» de las capas que la formaban: si ya no coincide con las capas
    actuales de la categoría, el análisis no usa estos fragmentos.
    """

    comuna = models.ForeignKey(
        "comunas.Comuna", on_delete=models.CASCADE, verbose_name=_("comuna"), related_name="+"
    )
    categoria = models.CharField(_("categoría"), max_length=30)
    firma = models.TextField(_("firma de las capas"))
    srid = models.PositiveIntegerField(_("SRID métrico"))
    preparada = models.DateTimeField(_("preparada"), auto_now=True)

    class Meta:
        verbose_name = _("categoría preparada")
        verbose_name_plural = _("categorías preparadas")
        constraints = [
            models.UniqueConstraint(fields=["comuna", "categoria"], name="categoria_preparada_unica")
        ]


class FragmentoCategoria(models.Model):
    """Fragmento de donde se superponen capas de una categoría, con su signo de inclusión–exclusión.

    El área de la categoría en un polígono es la suma de las de sus capas (FragmentoCapa) más
    ``signo`` × el área en cada fragmento: −1 donde se cruzan dos capas, +1 donde tres, etc. Una
    categoría de una sola capa, o de capas que no se tocan, no tiene fragmentos.
    """

    categoria = models.ForeignKey(CategoriaPreparada, on_delete=models.CASCADE, related_name="fragmentos")
    signo = models.SmallIntegerField(_("signo"), default=-1)
    geom = models.GeometryField(_("geometría"), srid=0, spatial_index=False)
    area_m2 = models.FloatField(_("área (m²)"))

    class Meta:
        verbose_name = _("fragmento de categoría")
        verbose_name_plural = _("fragmentos de categoría")
        indexes = [GistIndex(fields=["categoria", "geom"], name="fragmentocategoria_cat_geom")]
