"""Valores de la UTM y la UF: muchas reglas (licitaciones, derechos, multas) se fijan en UTM."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.indicadores.choices import Indicador


class ValorIndicador(models.Model):
    """Valor en pesos de una UTM (por mes: fecha = día 1) o de una UF (por día)."""

    indicador = models.CharField(_("indicador"), max_length=3, choices=Indicador.choices)
    fecha = models.DateField(_("fecha"), help_text=_("UTM: primer día del mes al que rige."))
    valor = models.DecimalField(_("valor (CLP)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("valor de indicador")
        verbose_name_plural = _("valores de indicadores")
        ordering = ["indicador", "-fecha"]
        constraints = [
            models.UniqueConstraint(fields=["indicador", "fecha"], name="indicador_un_valor_por_fecha"),
            models.CheckConstraint(condition=models.Q(valor__gt=0), name="indicador_valor_positivo"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicador_display()} {self.fecha:%d-%m-%Y}: $ {self.valor}"
