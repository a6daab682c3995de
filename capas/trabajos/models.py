"""Trabajo en segundo plano: estado, avance, resultado o error, y su carpeta de trabajo."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EstadoTrabajo(models.TextChoices):
    """Etapas de un trabajo; solo los servicios de capas.trabajos las cambian."""

    PENDIENTE = "pendiente", _("pendiente")
    EN_CURSO = "en_curso", _("en curso")
    TERMINADO = "terminado", _("terminado")
    FALLIDO = "fallido", _("fallido")


TERMINALES = (EstadoTrabajo.TERMINADO, EstadoTrabajo.FALLIDO)


class Trabajo(models.Model):
    """Un trabajo encolado (importación; luego análisis e informes) y lo que se sabe de su ejecución."""

    tipo = models.CharField(_("tipo"), max_length=40)
    estado = models.CharField(
        _("estado"), max_length=12, choices=EstadoTrabajo.choices, default=EstadoTrabajo.PENDIENTE
    )
    parametros = models.JSONField(_("parámetros"), default=dict, blank=True)
    avance = models.PositiveBigIntegerField(_("avance"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    mensaje = models.CharField(_("mensaje"), max_length=200, blank=True)
    resultado = models.JSONField(_("resultado"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    detalles = models.JSONField(_("detalles del error"), default=list, blank=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("usuario"),
        related_name="+",
    )
    carpeta = models.CharField(_("carpeta de trabajo"), max_length=500, blank=True)
    # Quién lo ejecuta: el conserje reconoce un trabajo cuyo proceso murió (mismo equipo, pid ausente,
    # o latido viejo) y lo da por fallido.
    equipo = models.CharField(_("equipo"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("pid del proceso que lo vigila"), null=True, blank=True)
    latido = models.DateTimeField(_("último latido"), null=True, blank=True)
    cola_id = models.BigIntegerField(_("trabajo en la cola"), null=True, blank=True)
    creado = models.DateTimeField(_("creado"), auto_now_add=True)
    iniciado = models.DateTimeField(_("iniciado"), null=True, blank=True)
    terminado = models.DateTimeField(_("terminado"), null=True, blank=True)

    class Meta:
        app_label = "capas"
        verbose_name = _("trabajo")
        verbose_name_plural = _("trabajos")
        ordering = ["-creado"]
        indexes = [models.Index(fields=["estado"], name="trabajo_estado_idx")]

    def __str__(self):
        return f"{self.tipo} #{self.pk} ({self.get_estado_display()})"

    @property
    def terminal(self) -> bool:
        """Indica si el trabajo ya terminó (bien o mal)."""
        return self.estado in TERMINALES

    @property
    def porcentaje(self) -> int | None:
        """Devuelve el avance en porcentaje, o None si aún no se conoce el total."""
        if not self.total:
            return None
        return min(100, round(100 * self.avance / self.total))
