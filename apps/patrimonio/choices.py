"""Opciones del dominio de patrimonio municipal."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistroCBR(models.TextChoices):
    """Registro del Conservador de Bienes Raíces donde consta la inscripción."""

    PROPIEDAD = "propiedad", _("Registro de Propiedad")
    HIPOTECAS = "hipotecas", _("Registro de Hipotecas y Gravámenes")
    PROHIBICIONES = "prohibiciones", _("Registro de Interdicciones y Prohibiciones")


class Destino(models.TextChoices):
    """Destino del inmueble."""

    EQUIPAMIENTO = "equipamiento", _("Equipamiento")
    AREA_VERDE = "area_verde", _("Área verde")
    DEPORTIVO = "deportivo", _("Deportivo")
    EDUCACION = "educacion", _("Educación")
    SALUD = "salud", _("Salud")
    VIALIDAD = "vialidad", _("Vialidad")
    HABITACIONAL = "habitacional", _("Habitacional")
    SIN_USO = "sin_uso", _("Sin uso")


class Tenencia(models.TextChoices):
    """Título por el que el municipio tiene el inmueble."""

    DOMINIO = "dominio", _("Dominio municipal")
    DESTINACION = "destinacion", _("Destinación fiscal")
    COMODATO = "comodato", _("Comodato recibido")
    CONCESION = "concesion", _("Concesión recibida")
    POSESION = "posesion", _("Posesión material sin título")


class EstadoSaneamiento(models.TextChoices):
    """Situación legal del inmueble."""

    REGULAR = "regular", _("Regular (inscrito)")
    EN_SANEAMIENTO = "en_saneamiento", _("En saneamiento")
    IRREGULAR = "irregular", _("Irregular")


class TipoActivo(models.TextChoices):
    """Tipo de activo municipal."""

    ESTADIO = "estadio", _("Estadio")
    GIMNASIO = "gimnasio", _("Gimnasio")
    TERMINAL = "terminal", _("Terminal de buses")
    BNUP = "bnup", _("Bien nacional de uso público")
    SEDE = "sede", _("Sede social")
    MERCADO = "mercado", _("Mercado o feria")
    CEMENTERIO = "cementerio", _("Cementerio")
    OTRO = "otro", _("Otro")


class TipoConcesion(models.TextChoices):
    """Forma jurídica de la cesión del activo."""

    CONCESION = "concesion", _("Concesión")
    ARRIENDO = "arriendo", _("Arriendo")
    COMODATO = "comodato", _("Comodato")
    PERMISO = "permiso", _("Permiso de uso")
    VENTA = "venta", _("Venta")
    REMATE = "remate", _("Remate")


class Periodicidad(models.TextChoices):
    """Periodicidad del pago del canon."""

    MENSUAL = "mensual", _("Mensual")
    ANUAL = "anual", _("Anual")
    UNICO = "unico", _("Pago único")


class EstadoConcesion(models.TextChoices):
    """Estado jurídico tecleado: otorgada (en curso), terminada anticipadamente o caducada.

    Si una otorgada está vigente, por vencer o vencida no se teclea: lo dicen sus fechas
    (``Concesion.situacion``). El valor «vigente» se conserva en la base por compatibilidad.
    """

    VIGENTE = "vigente", _("Otorgada")
    TERMINADA = "terminada", _("Terminada")
    CADUCADA = "caducada", _("Caducada")


class Situacion(models.TextChoices):
    """Situación de una concesión calculada de su estado y sus fechas, nunca tecleada."""

    VIGENTE = "vigente", _("Vigente")
    POR_VENCER = "por_vencer", _("Por vencer")
    VENCIDA = "vencida", _("Vencida")
    TERMINADA = "terminada", _("Terminada")
    CADUCADA = "caducada", _("Caducada")
