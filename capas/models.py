"""Capas importadas: de referencia y restricción (vectoriales) y ráster."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from capas import categorias
from capas.auditoria import auditado
from capas.reglas_bd import geometria_valida, nombre_reservado


class CapaImportada(models.Model):
    """Lo común a toda capa importada: identidad, origen, visibilidad y quién la importó."""

    nombre = models.SlugField(_("identificador"), max_length=63, unique=True)
    titulo = models.CharField(_("título"), max_length=200)
    descripcion = models.TextField(_("descripción"), blank=True)
    cut = models.CharField(
        _("CUT de la comuna"), max_length=5, db_index=True, default=settings.TERRITORIO_COMUNA_CUT
    )
    archivo_origen = models.CharField(_("archivo de origen"), max_length=255)
    publica = models.BooleanField(_("pública"), default=False, help_text=_("Legible sin sesión."))
    informe = models.JSONField(_("informe de importación"), default=dict, blank=True)
    creada = models.DateTimeField(_("importada"), auto_now_add=True)
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("importada por"),
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["titulo"]
        triggers = [nombre_reservado()]

    def __str__(self):
        return self.titulo


class NombreCapa(models.Model):
    """Identificador en uso por una capa importada, vectorial o ráster (lo escriben los triggers)."""

    nombre = models.SlugField(_("identificador"), max_length=63, primary_key=True)

    class Meta:
        verbose_name = _("identificador de capa")
        verbose_name_plural = _("identificadores de capa")

    def __str__(self):
        return self.nombre


@auditado
class CapaReferencia(CapaImportada):
    """Capa vectorial importada (IDE Chile, DGA, consultoras, QGIS) con su esquema de atributos."""

    categoria = models.CharField(_("categoría"), max_length=30, choices=categorias.opciones)
    tipo_geometria = models.CharField(_("tipo de geometría"), max_length=20)
    campos = models.JSONField(
        _("campos"), default=list, help_text=_("Lista de {nombre, tipo} en el orden del archivo.")
    )
    srid_origen = models.PositiveIntegerField(_("SRID de origen"))
    formato = models.CharField(_("formato"), max_length=40)
    n_elementos = models.PositiveIntegerField(_("elementos"), default=0)
    de_contexto = models.BooleanField(
        _("de contexto"),
        default=False,
        help_text=_("Se dibuja bajo lo que se edita en todo mapa chico (con la comuna y las localidades)."),
    )
    # Estilo propio (vacío: el de su categoría, capas.categorias).
    relleno = models.CharField(_("color de relleno"), max_length=7, blank=True)
    borde = models.CharField(_("color de borde"), max_length=7, blank=True)
    ancho = models.FloatField(_("ancho del borde (px)"), null=True, blank=True)
    opacidad = models.FloatField(_("opacidad del relleno"), null=True, blank=True)

    class Meta(CapaImportada.Meta):
        verbose_name = _("capa de referencia")
        verbose_name_plural = _("capas de referencia")
        constraints = [
            models.CheckConstraint(
                condition=Q(relleno="") | Q(relleno__regex=r"^#[0-9a-f]{6}$"), name="capa_relleno_hex"
            ),
            models.CheckConstraint(
                condition=Q(borde="") | Q(borde__regex=r"^#[0-9a-f]{6}$"), name="capa_borde_hex"
            ),
            models.CheckConstraint(
                condition=Q(ancho__isnull=True) | Q(ancho__gte=0, ancho__lte=20), name="capa_ancho_rango"
            ),
            models.CheckConstraint(
                condition=Q(opacidad__isnull=True) | Q(opacidad__gte=0, opacidad__lte=1),
                name="capa_opacidad_rango",
            ),
        ]


class ElementoReferencia(models.Model):
    """Elemento de una capa importada: geometría Multi* en el SRID de almacenamiento y atributos."""

    capa = models.ForeignKey(CapaReferencia, on_delete=models.CASCADE, related_name="elementos")
    fid = models.PositiveIntegerField(_("fid"))
    geom = models.GeometryField(_("geometría"), srid=settings.TERRITORIO_SRID)
    atributos = models.JSONField(_("atributos"), default=dict)

    class Meta:
        verbose_name = _("elemento de capa")
        verbose_name_plural = _("elementos de capa")
        constraints = [
            models.UniqueConstraint(fields=["capa", "fid"], name="elemento_fid_unico_en_capa"),
            geometria_valida("geom", "elemento"),
        ]
        indexes = [GistIndex(fields=["geom"], name="elemento_geom_gist")]

    def __str__(self):
        return f"{self.capa.nombre}#{self.fid}"


@auditado
class CapaRaster(CapaImportada):
    """Ráster importado (GeoTIFF), guardado como GeoTIFF teselado y comprimido con sus metadatos."""

    categoria = models.CharField(
        _("categoría"), max_length=30, choices=categorias.opciones, default=categorias.RASTER
    )
    archivo = models.CharField(_("archivo (relativo a MEDIA_ROOT)"), max_length=255)
    srid = models.PositiveIntegerField(_("SRID"))
    ancho = models.PositiveIntegerField(_("columnas"))
    alto = models.PositiveIntegerField(_("filas"))
    bandas = models.PositiveSmallIntegerField(_("bandas"))
    tipo_dato = models.CharField(_("tipo de dato"), max_length=20)
    resolucion_x = models.FloatField(_("resolución x"))
    resolucion_y = models.FloatField(_("resolución y"))
    nodata = models.FloatField(_("sin dato"), null=True, blank=True)
    extension = models.PolygonField(_("extensión"), srid=settings.TERRITORIO_SRID)
    estadisticas = models.JSONField(_("estadísticas por banda"), default=list, blank=True)

    class Meta(CapaImportada.Meta):
        verbose_name = _("capa ráster")
        verbose_name_plural = _("capas ráster")


# El modelo de trabajos vive en su paquete; se importa aquí para que Django lo registre en capas.
# Mapas base (XYZ o WMS) configurados por un administrador; su paquete los declara aquí para Django.
from capas.mapas.models import FormatoWMS, MapaBase, TipoMapaBase  # noqa: E402,F401
from capas.trabajos.models import EstadoTrabajo, Trabajo  # noqa: E402,F401
