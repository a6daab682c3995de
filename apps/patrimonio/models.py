"""Bienes inmuebles municipales, activos sobre ellos y sus concesiones, arriendos y ventas."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.comunas.models import EnComuna
from apps.comunas.reglas_bd import dentro_de_comuna
from apps.nucleo.auditoria import auditado
from apps.nucleo.concurrencia import version_automatica
from apps.nucleo.models import MarcableDemo, Versionado
from apps.nucleo.rut import normalizar_rut, validar_rut
from apps.patrimonio import choices
from apps.patrimonio.reglas_bd import concesiones_sin_superposicion
from capas.reglas_bd import geometria_valida


@auditado
class BienInmueble(EnComuna, Versionado, MarcableDemo):
    """Predio municipal con su rol SII, su inscripción en el Conservador y su saneamiento."""

    nombre = models.CharField(_("nombre"), max_length=200)
    rol_manzana = models.PositiveIntegerField(_("rol SII: manzana"))
    rol_predio = models.PositiveIntegerField(_("rol SII: predio"))
    direccion = models.CharField(_("dirección"), max_length=250, blank=True)
    conservador = models.CharField(_("Conservador de Bienes Raíces"), max_length=120, blank=True)
    cbr_registro = models.CharField(
        _("registro CBR"), max_length=20, choices=choices.RegistroCBR.choices, blank=True
    )
    cbr_fojas = models.PositiveIntegerField(_("fojas"), null=True, blank=True)
    cbr_fojas_vuelta = models.BooleanField(_("fojas vuelta"), default=False)
    cbr_numero = models.PositiveIntegerField(_("número"), null=True, blank=True)
    cbr_anio = models.PositiveSmallIntegerField(
        _("año de inscripción"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1850), MaxValueValidator(2100)],
    )
    superficie_m2 = models.DecimalField(
        _("superficie según título (m²)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    destino = models.CharField(_("destino"), max_length=30, choices=choices.Destino.choices)
    tenencia = models.CharField(_("tenencia"), max_length=30, choices=choices.Tenencia.choices)
    estado_saneamiento = models.CharField(
        _("estado de saneamiento"),
        max_length=20,
        choices=choices.EstadoSaneamiento.choices,
        default=choices.EstadoSaneamiento.REGULAR,
    )
    geom = models.MultiPolygonField(_("polígono"), srid=settings.TERRITORIO_SRID)

    class Meta:
        verbose_name = _("bien inmueble")
        verbose_name_plural = _("bienes inmuebles")
        ordering = ["rol_manzana", "rol_predio"]
        constraints = [
            models.UniqueConstraint(
                fields=["comuna", "rol_manzana", "rol_predio"],
                name="inmueble_rol_unico_en_comuna",
                violation_error_message=_("Ya existe un inmueble con ese rol SII en la comuna."),
            ),
            geometria_valida("geom", "inmueble"),
        ]
        triggers = [version_automatica(), dentro_de_comuna("geom")]

    def __str__(self):
        return f"{self.rol_sii} {self.nombre}"

    @property
    def rol_sii(self) -> str:
        """Devuelve el rol SII como «manzana-predio» (p. ej. 573-24)."""
        return f"{self.rol_manzana}-{self.rol_predio}"

    @property
    def inscripcion_cbr(self) -> str:
        """Devuelve la inscripción en el Conservador como se cita («fs. 12 vta. N° 34 de 1998»)."""
        if not self.cbr_fojas:
            return ""
        vuelta = " vta." if self.cbr_fojas_vuelta else ""
        return f"fs. {self.cbr_fojas}{vuelta} N° {self.cbr_numero or '—'} de {self.cbr_anio or '—'}"


@auditado
class Activo(EnComuna, Versionado, MarcableDemo):
    """Activo municipal (estadio, gimnasio, terminal, BNUP…) sobre un bien inmueble."""

    inmueble = models.ForeignKey(
        BienInmueble, on_delete=models.PROTECT, verbose_name=_("inmueble"), related_name="activos"
    )
    nombre = models.CharField(_("nombre"), max_length=200)
    tipo = models.CharField(_("tipo"), max_length=30, choices=choices.TipoActivo.choices)
    descripcion = models.TextField(_("descripción"), blank=True)
    ubicacion = models.PointField(_("ubicación"), srid=settings.TERRITORIO_SRID, null=True, blank=True)

    class Meta:
        verbose_name = _("activo")
        verbose_name_plural = _("activos")
        ordering = ["nombre"]
        triggers = [version_automatica(), dentro_de_comuna("ubicacion")]

    def __str__(self):
        return self.nombre


@auditado
class Concesion(EnComuna, Versionado, MarcableDemo):
    """Concesión, arriendo, comodato, venta o remate de un activo a un titular."""

    activo = models.ForeignKey(
        Activo, on_delete=models.PROTECT, verbose_name=_("activo"), related_name="concesiones"
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=choices.TipoConcesion.choices)
    titular_nombre = models.CharField(_("titular"), max_length=200)
    titular_rut = models.CharField(
        _("RUT del titular"),
        max_length=12,
        validators=[validar_rut],
        help_text=_("Con dígito verificador, p. ej. 76.123.456-0."),
    )
    fecha_inicio = models.DateField(_("fecha de inicio"))
    fecha_termino = models.DateField(_("fecha de término"), null=True, blank=True)
    canon_clp = models.BigIntegerField(
        _("canon (CLP)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    periodicidad = models.CharField(
        _("periodicidad del canon"), max_length=20, choices=choices.Periodicidad.choices, blank=True
    )
    garantia = models.CharField(_("garantía"), max_length=250, blank=True)
    estado = models.CharField(
        _("estado"),
        max_length=20,
        choices=choices.EstadoConcesion.choices,
        default=choices.EstadoConcesion.VIGENTE,
    )
    geom = models.MultiPolygonField(
        _("área concesionada"), srid=settings.TERRITORIO_SRID, null=True, blank=True
    )

    class Meta:
        verbose_name = _("concesión")
        verbose_name_plural = _("concesiones")
        ordering = ["-fecha_inicio"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fecha_termino__isnull=True)
                | models.Q(fecha_termino__gte=models.F("fecha_inicio")),
                name="concesion_fechas_ordenadas",
                violation_error_message=_("La fecha de término es anterior a la de inicio."),
            ),
            geometria_valida("geom", "concesion"),
        ]
        triggers = [version_automatica(), dentro_de_comuna("geom"), concesiones_sin_superposicion()]

    def __str__(self):
        return f"{self.get_tipo_display()} de {self.activo} a {self.titular_nombre}"

    def situacion(self, hoy: date | None = None) -> str:
        """Devuelve la situación calculada (vigente, por vencer, vencida, terminada, caducada).

        Una otorgada vence por su fecha de término, en la fecha de Chile; «por vencer» si termina
        dentro de ``TERRITORIO_CONCESION_DIAS_POR_VENCER`` días (hoy incluido).
        """
        if self.estado != choices.EstadoConcesion.VIGENTE:
            return self.estado
        hoy = hoy or timezone.localdate()
        if self.fecha_termino is None:
            return choices.Situacion.VIGENTE
        if self.fecha_termino < hoy:
            return choices.Situacion.VENCIDA
        if self.fecha_termino <= hoy + timedelta(days=settings.TERRITORIO_CONCESION_DIAS_POR_VENCER):
            return choices.Situacion.POR_VENCER
        return choices.Situacion.VIGENTE

    def situacion_display(self) -> str:
        """Devuelve la situación calculada como se lee («Por vencer»)."""
        return choices.Situacion(self.situacion()).label

    def clean(self):
        """Normaliza el RUT, valida geometrías y rechaza superponerse con otra concesión vigente."""
        super().clean()
        if self.titular_rut:
            self.titular_rut = normalizar_rut(self.titular_rut)
        if self.estado == choices.EstadoConcesion.VIGENTE and self.activo_id and self.fecha_inicio:
            otra = self.superpuestas().first()
            if otra:
                raise ValidationError(
                    _(
                        "Se superpone con «%(otra)s» (vigente desde %(inicio)s) en el mismo activo, "
                        "en el mismo período y en la misma área."
                    )
                    % {"otra": otra, "inicio": otra.fecha_inicio.strftime("%d-%m-%Y")},
                    code="concesion_superpuesta",
                )

    def superpuestas(self):
        """Devuelve las otras concesiones vigentes del activo que se cruzan en período y área."""
        fin = self.fecha_termino or date.max
        otras = (
            Concesion.objects.filter(activo_id=self.activo_id, estado=choices.EstadoConcesion.VIGENTE)
            .exclude(pk=self.pk)
            .filter(fecha_inicio__lte=fin)
            .filter(models.Q(fecha_termino__isnull=True) | models.Q(fecha_termino__gte=self.fecha_inicio))
        )
        if self.geom is None:
            return otras
        # Sin área propia una concesión abarca todo el activo; si no, deben compartir superficie.
        return otras.filter(models.Q(geom__isnull=True) | models.Q(geom__relate=(self.geom, "2********")))
