"""Iniciativas de inversión (municipales, de servicios públicos y privadas) y su financiamiento."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from apps.comunas.models import EnComuna, Localidad
from apps.comunas.reglas_bd import dentro_de_comuna
from apps.nucleo.auditoria import auditado
from apps.nucleo.concurrencia import version_automatica
from apps.nucleo.models import MarcableDemo, Versionado
from apps.proyectos import choices
from capas.reglas_bd import geometria_de_tipo, geometria_valida

validar_bip = RegexValidator(
    r"^\d{8}-\d$", _("El código BIP tiene 8 dígitos, guion y dígito verificador (p. ej. 40012345-6).")
)
# CodigoExterno de una licitación de Mercado Público (ChileCompra): unidad de compra, correlativo,
# tipo de proceso (L1, LE, LP, LQ, LR, E2, CO, …) y año en dos dígitos, p. ej. 1509-5-L114 o 2421-23-LE19.
validar_licitacion = RegexValidator(
    r"^\d{1,7}-\d{1,5}-[A-Z][A-Z0-9]\d{2}$",
    _(
        "El código de Mercado Público (CodigoExterno) es unidad-correlativo-tipo y año, en mayúsculas, "
        "p. ej. 1509-5-L114 o 2421-23-LE19."
    ),
)
TIPOS_GEOMETRIA = [
    "POINT",
    "MULTIPOINT",
    "LINESTRING",
    "MULTILINESTRING",
    "POLYGON",
    "MULTIPOLYGON",
]


@auditado
class FuenteFinanciamiento(Versionado):
    """Fuente de financiamiento de inversión pública o privada (FNDR, FRIL, PMU, …)."""

    codigo = models.SlugField(_("código"), max_length=30, unique=True)
    nombre = models.CharField(_("nombre"), max_length=200)
    tipo = models.CharField(_("tipo"), max_length=20, choices=choices.TipoFuente.choices)
    organismo = models.CharField(_("organismo que financia"), max_length=200, blank=True)
    descripcion = models.TextField(_("descripción"), blank=True)
    activa = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("fuente de financiamiento")
        verbose_name_plural = _("fuentes de financiamiento")
        ordering = ["codigo"]
        triggers = [version_automatica()]

    def __str__(self):
        return f"{self.codigo.upper()} — {self.nombre}"


@auditado
class Proyecto(EnComuna, Versionado, MarcableDemo):
    """Iniciativa de inversión con su ubicación (punto, línea o polígono)."""

    codigo_bip = models.CharField(_("código BIP"), max_length=10, blank=True, validators=[validar_bip])
    codigo_licitacion = models.CharField(
        _("código de Mercado Público"),
        max_length=20,
        blank=True,
        validators=[validar_licitacion],
        help_text=_("CodigoExterno de la licitación en Mercado Público, p. ej. 1509-5-L114."),
    )
    nombre = models.CharField(_("nombre"), max_length=300)
    descripcion = models.TextField(_("descripción"), blank=True)
    tipologia = models.CharField(_("tipología"), max_length=20, choices=choices.Tipologia.choices)
    etapa = models.CharField(_("etapa"), max_length=20, choices=choices.Etapa.choices)
    institucion = models.CharField(_("institución"), max_length=20, choices=choices.Institucion.choices)
    institucion_nombre = models.CharField(
        _("nombre de la institución"),
        max_length=200,
        blank=True,
        help_text=_("Servicio público o privado responsable, si no es el municipio."),
    )
    unidad_tecnica = models.CharField(_("unidad técnica"), max_length=200, blank=True)
    fuente = models.ForeignKey(
        FuenteFinanciamiento,
        on_delete=models.PROTECT,
        verbose_name=_("fuente de financiamiento"),
        related_name="proyectos",
        null=True,
        blank=True,
    )
    monto_solicitado = models.BigIntegerField(
        _("monto solicitado (CLP)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    monto_aprobado = models.BigIntegerField(
        _("monto aprobado (CLP)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    localidad = models.ForeignKey(
        Localidad,
        on_delete=models.SET_NULL,
        verbose_name=_("localidad"),
        related_name="proyectos",
        null=True,
        blank=True,
    )
    geom = models.GeometryField(
        _("ubicación"),
        srid=settings.TERRITORIO_SRID,
        null=True,
        blank=True,
        help_text=_("Punto, línea o polígono de la obra."),
    )

    class Meta:
        verbose_name = _("proyecto")
        verbose_name_plural = _("proyectos")
        ordering = ["-modificado"]
        constraints = [
            models.UniqueConstraint(
                fields=["codigo_bip"],
                condition=~models.Q(codigo_bip=""),
                name="proyecto_bip_unico",
                violation_error_message=_("Ya existe un proyecto con ese código BIP."),
            ),
            models.CheckConstraint(
                condition=models.Q(monto_solicitado__gte=0) | models.Q(monto_solicitado__isnull=True),
                name="proyecto_monto_solicitado_no_negativo",
            ),
            models.CheckConstraint(
                condition=models.Q(monto_aprobado__gte=0) | models.Q(monto_aprobado__isnull=True),
                name="proyecto_monto_aprobado_no_negativo",
            ),
            geometria_valida("geom", "proyecto"),
            geometria_de_tipo("geom", "proyecto", TIPOS_GEOMETRIA),
        ]
        triggers = [version_automatica(), dentro_de_comuna("geom")]

    def __str__(self):
        return f"{self.codigo_bip} {self.nombre}" if self.codigo_bip else self.nombre

    def clean(self):
        """Exige además que la ubicación sea punto, línea o polígono (o sus Multi*)."""
        if self.geom is not None and self.geom.geom_type.upper() not in TIPOS_GEOMETRIA:
            raise ValidationError(
                {
                    "geom": _("Tipo de geometría no permitido (%(tipo)s): use punto, línea o polígono.")
                    % {"tipo": self.geom.geom_type}
                }
            )
        super().clean()
