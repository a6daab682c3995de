"""Comuna configurada, localidades y la mezcla que ata cada registro a su comuna."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from apps.comunas.choices import TipoLocalidad
from apps.comunas.reglas_bd import dentro_de_comuna
from apps.nucleo.auditoria import auditado
from apps.nucleo.concurrencia import version_automatica
from apps.nucleo.models import MarcableDemo, Versionado
from capas.geometria import validar_dentro_de, validar_geometria
from capas.reglas_bd import campos_geometricos, geometria_valida

validar_cut = RegexValidator(r"^\d{5}$", _("El CUT es un código de 5 dígitos, p. ej. 09117."))


@auditado
class Comuna(Versionado):
    """Comuna chilena identificada por su Código Único Territorial (CUT)."""

    cut = models.CharField(_("CUT"), max_length=5, unique=True, validators=[validar_cut])
    nombre = models.CharField(_("nombre"), max_length=100)
    provincia = models.CharField(_("provincia"), max_length=100, blank=True)
    region = models.CharField(_("región"), max_length=100, blank=True)
    limite = models.MultiPolygonField(_("límite comunal"), srid=settings.TERRITORIO_SRID)
    limite_admisible = models.MultiPolygonField(
        _("límite con tolerancia"),
        srid=settings.TERRITORIO_SRID,
        editable=False,
        help_text=_("Límite ampliado por la tolerancia; las geometrías del dominio deben caber aquí."),
    )
    tolerancia_m = models.FloatField(_("tolerancia del límite (m)"))
    srid_metrico = models.PositiveIntegerField(
        _("SRID métrico"), help_text=_("UTM SIRGAS-Chile del huso de la comuna, para áreas y distancias.")
    )
    fuente = models.CharField(_("fuente del límite"), max_length=200)

    class Meta:
        verbose_name = _("comuna")
        verbose_name_plural = _("comunas")
        ordering = ["cut"]
        constraints = [geometria_valida("limite", "comuna")]
        triggers = [version_automatica()]

    def __str__(self):
        return f"{self.nombre} ({self.cut})"


class EnComuna(models.Model):
    """Registro de dominio que pertenece a una comuna y cuyas geometrías deben caer en ella."""

    comuna = models.ForeignKey(Comuna, on_delete=models.PROTECT, verbose_name=_("comuna"), related_name="+")

    class Meta:
        abstract = True

    def clean(self):
        """Valida cada geometría: validez con motivo y lugar, SRID y pertenencia a la comuna."""
        super().clean()
        errores = {}
        for campo in campos_geometricos(type(self)):
            geom = getattr(self, campo)
            if geom is None:
                continue
            try:
                geom = validar_geometria(geom, campo=campo)
                setattr(self, campo, geom)
                if self.comuna_id:
                    validar_dentro_de(
                        geom,
                        limite=self.comuna.limite_admisible,
                        nombre=str(self.comuna),
                        tolerancia_m=self.comuna.tolerancia_m,
                        campo=campo,
                    )
            except ValidationError as error:
                errores.update(error.message_dict)
        if errores:
            raise ValidationError(errores)


@auditado
class Localidad(EnComuna, Versionado, MarcableDemo):
    """Localidad (pueblo, aldea, caserío) o sector de la comuna."""

    nombre = models.CharField(_("nombre"), max_length=120)
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoLocalidad.choices)
    ubicacion = models.PointField(_("ubicación"), srid=settings.TERRITORIO_SRID)
    area = models.MultiPolygonField(_("área"), srid=settings.TERRITORIO_SRID, null=True, blank=True)
    poblacion = models.PositiveIntegerField(
        _("población (Censo 2017)"),
        null=True,
        blank=True,
        help_text=_("Habitantes del área según el Censo 2017 (INE); la carga localidades_censo_cargar."),
    )
    fuente = models.CharField(_("fuente de la ubicación"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("localidad o sector")
        verbose_name_plural = _("localidades y sectores")
        ordering = ["comuna", "nombre"]
        constraints = [
            models.UniqueConstraint(fields=["comuna", "nombre"], name="localidad_nombre_unico"),
            geometria_valida("area", "localidad"),
        ]
        triggers = [version_automatica(), dentro_de_comuna("ubicacion"), dentro_de_comuna("area")]

    def __str__(self):
        return self.nombre
