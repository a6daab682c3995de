"""Mapas base que un administrador configura una vez (XYZ o WMS): los pide el navegador, nunca el servidor."""

import re
from urllib.parse import urlsplit

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from capas.auditoria import auditado

# Marcadores que Leaflet reemplaza en una URL XYZ; {s} y {r} son opcionales.
MARCADORES_XYZ = ("{z}", "{x}", "{y}")
_MARCADOR = re.compile(r"\{[^{}]*\}")
_MARCADORES_PERMITIDOS = {"{z}", "{x}", "{y}", "{s}", "{r}", "{-y}"}
# Lo que una URL nunca lleva (espacios, comillas, ángulos): se pega tal cual en la página.
_CARACTERES_PROHIBIDOS = re.compile(r"[\s\"'<>\\`]")
# Nombres de capa WMS separados por coma: letras, dígitos y _ - . : (p. ej. «ide:limites»).
_CAPAS_WMS = re.compile(r"^[\w.:-]+(,[\w.:-]+)*$")


class TipoMapaBase(models.TextChoices):
    """Protocolo de un mapa base."""

    XYZ = "xyz", _("Teselas XYZ")
    WMS = "wms", _("WMS")


class FormatoWMS(models.TextChoices):
    """Formato de imagen pedido a un WMS."""

    PNG = "image/png", _("PNG")
    JPEG = "image/jpeg", _("JPEG")


def motivo_url(url: str, tipo: str) -> str | None:
    """Devuelve por qué la URL no sirve para un mapa base del tipo dado, o None si sirve."""
    if _CARACTERES_PROHIBIDOS.search(url):
        return "la URL no puede tener espacios, comillas ni los signos < > \\ `"
    # Los marcadores {z} {x} {y} no son válidos para urlsplit en el nombre del servidor.
    partes = urlsplit(_MARCADOR.sub("0", url))
    if partes.scheme not in ("http", "https"):
        return "la URL debe comenzar con http:// o https://"
    if not partes.hostname:
        return "la URL no tiene nombre de servidor"
    try:
        partes.port  # noqa: B018 (un puerto fuera de rango lanza ValueError)
    except ValueError:
        return "el puerto de la URL no es válido"
    marcadores = set(_MARCADOR.findall(url))
    if tipo == TipoMapaBase.XYZ:
        if "{-y}" in marcadores:
            marcadores.add("{y}")
        faltan = [m for m in MARCADORES_XYZ if m not in marcadores]
        if faltan:
            return "una URL XYZ debe tener los marcadores {z}, {x} e {y} (falta " + ", ".join(faltan) + ")"
        desconocidos = sorted(marcadores - _MARCADORES_PERMITIDOS)
        if desconocidos:
            return "marcador desconocido en la URL: " + ", ".join(desconocidos)
    elif marcadores:
        return "una URL WMS no lleva marcadores entre llaves; el navegador agrega los parámetros"
    return None


@auditado
class MapaBase(models.Model):
    """Mapa base (teselas XYZ o WMS) que el navegador pide bajo las capas de todo mapa del sistema."""

    nombre = models.SlugField(_("identificador"), max_length=63, unique=True)
    titulo = models.CharField(_("título"), max_length=120)
    tipo = models.CharField(_("tipo"), max_length=3, choices=TipoMapaBase.choices, default=TipoMapaBase.XYZ)
    url = models.CharField(
        _("URL"),
        max_length=500,
        help_text=_(
            "XYZ: plantilla con {z}, {x} e {y} (p. ej. https://servidor/{z}/{x}/{y}.png). "
            "WMS: dirección del servicio, sin parámetros de petición."
        ),
    )
    capas = models.CharField(
        _("capas WMS"), max_length=300, blank=True, help_text=_("Nombres de capa separados por coma.")
    )
    formato = models.CharField(
        _("formato"), max_length=10, choices=FormatoWMS.choices, default=FormatoWMS.PNG
    )
    transparente = models.BooleanField(_("transparente"), default=False)
    atribucion = models.CharField(
        _("atribución"), max_length=300, blank=True, help_text=_("Texto sin HTML, p. ej. «© IDE Chile».")
    )
    orden = models.PositiveSmallIntegerField(_("orden"), default=0)
    activo = models.BooleanField(_("activo"), default=True)
    por_omision = models.BooleanField(
        _("por omisión"), default=False, help_text=_("Se muestra al abrir cada mapa (a lo más uno).")
    )

    class Meta:
        verbose_name = _("mapa base")
        verbose_name_plural = _("mapas base")
        ordering = ["orden", "titulo"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__regex=r"^https?://[^\s<>\"'\\`]+$"), name="mapabase_url_http"
            ),
            models.CheckConstraint(condition=Q(tipo="xyz") | ~Q(capas=""), name="mapabase_wms_con_capas"),
            models.CheckConstraint(
                condition=~Q(atribucion__contains="<") & ~Q(atribucion__contains=">"),
                name="mapabase_atribucion_sin_html",
            ),
            models.UniqueConstraint(
                fields=["por_omision"], condition=Q(por_omision=True), name="mapabase_un_por_omision"
            ),
        ]

    def __str__(self):
        return self.titulo

    def clean(self):
        """Valida la URL según el tipo, las capas WMS y que la atribución no traiga HTML."""
        errores = {}
        self.url = self.url.strip()
        self.capas = self.capas.replace(" ", "")
        motivo = motivo_url(self.url, self.tipo)
        if motivo:
            errores["url"] = _("URL no válida: %(motivo)s.") % {"motivo": motivo}
        if self.tipo == TipoMapaBase.WMS and not self.capas:
            errores["capas"] = _("Un mapa base WMS necesita al menos una capa.")
        elif self.capas and not _CAPAS_WMS.match(self.capas):
            errores["capas"] = _("Capas WMS separadas por coma, sin espacios ni signos especiales.")
        if "<" in self.atribucion or ">" in self.atribucion:
            errores["atribucion"] = _("La atribución es texto: sin los signos < y >.")
        if errores:
            raise ValidationError(errores)
