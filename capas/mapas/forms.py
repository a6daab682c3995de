"""Formulario de «Imprimir» (contrato 4): título, vista (bbox y capas), enlace y formato de hoja."""

import math
import re

from django import forms
from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.utils.module_loading import import_string

from capas.geometria import ampliar
from capas.mapas.formatos import FORMATOS
from capas.registro import RE_NOMBRE
from capas.servicio.consultas import ParametroInvalido, leer_bbox

TITULO_MAX = 120
PERMALINK_MAX = 2000
CAPAS_MAX = 30
# Lado de la vista (m): menos que una cuadra no es un mapa; más que una región no cabe en una hoja útil.
LADO_MIN_M = 20.0
LADO_MAX_M = 400_000.0
METROS_POR_GRADO = 111_320.0
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _sin_control(texto: str, campo: str) -> str:
    """Rechaza caracteres de control (no se imprimen y suelen venir de un pegado defectuoso)."""
    if CONTROL.search(texto):
        raise forms.ValidationError(f"{campo} tiene caracteres de control; escríbalo de nuevo.")
    return " ".join(texto.split()) if campo == "El título" else texto


class FormularioImpresion(forms.Form):
    """Valida lo que pide el visor al imprimir; las capas se resuelven (con permisos) en la vista."""

    titulo = forms.CharField(
        label="Título",
        max_length=TITULO_MAX,
        error_messages={
            "required": "Escriba un título para el mapa.",
            "max_length": f"El título puede tener hasta {TITULO_MAX} caracteres.",
        },
    )
    bbox = forms.CharField(
        label="Extensión (oeste,sur,este,norte en grados WGS 84)",
        error_messages={"required": "Falta la extensión del mapa (bbox oeste,sur,este,norte)."},
    )
    capas = forms.CharField(
        label="Capas (de arriba abajo, separadas por coma)",
        error_messages={"required": "Elija al menos una capa visible para imprimir."},
    )
    permalink = forms.CharField(
        label="Enlace a la vista (solo se imprime)",
        required=False,
        max_length=PERMALINK_MAX,
        error_messages={"max_length": f"El enlace puede tener hasta {PERMALINK_MAX} caracteres."},
    )
    formato = forms.ChoiceField(
        label="Hoja",
        required=False,
        choices=[(f.nombre, f.titulo) for f in FORMATOS.values()],
        error_messages={"invalid_choice": "Formato de hoja desconocido: «%(value)s»."},
    )

    def clean_titulo(self) -> str:
        return _sin_control(self.cleaned_data["titulo"], "El título")

    def clean_permalink(self) -> str:
        return _sin_control(self.cleaned_data["permalink"], "El enlace")

    def clean_formato(self) -> str:
        return self.cleaned_data["formato"] or "a4-horizontal"

    def clean_capas(self) -> list[str]:
        nombres = [n.strip() for n in self.cleaned_data["capas"].split(",") if n.strip()]
        if not nombres:
            raise forms.ValidationError("Elija al menos una capa visible para imprimir.")
        if len(nombres) > CAPAS_MAX:
            raise forms.ValidationError(f"Se pueden imprimir hasta {CAPAS_MAX} capas a la vez.")
        malos = [n for n in nombres if not RE_NOMBRE.match(n)]
        if malos:
            raise forms.ValidationError(f"Nombre de capa inválido: «{malos[0][:64]}».")
        if len(set(nombres)) != len(nombres):
            raise forms.ValidationError("Una capa aparece dos veces en la lista.")
        return nombres

    def clean_bbox(self) -> tuple[float, float, float, float]:
        try:
            bbox = leer_bbox(self.cleaned_data["bbox"])
        except ParametroInvalido as error:
            raise forms.ValidationError(str(error))
        if bbox is None or len(self.cleaned_data["bbox"].split(",")) != 4:
            raise forms.ValidationError("bbox debe tener cuatro números: oeste,sur,este,norte.")
        oeste, sur, este, norte = bbox
        ancho_m = (este - oeste) * METROS_POR_GRADO * math.cos(math.radians((sur + norte) / 2))
        alto_m = (norte - sur) * METROS_POR_GRADO
        if min(ancho_m, alto_m) < LADO_MIN_M:
            raise forms.ValidationError(
                f"La vista es demasiado chica para imprimirla (menos de {LADO_MIN_M:.0f} m de lado)."
            )
        if max(ancho_m, alto_m) > LADO_MAX_M:
            raise forms.ValidationError(
                f"La vista es demasiado grande para imprimirla (más de {LADO_MAX_M / 1000:.0f} km de lado); "
                "acérquese a la comuna."
            )
        self._verificar_comuna(bbox)
        return bbox

    @staticmethod
    def _verificar_comuna(bbox) -> None:
        """Rechaza una vista que no toca la comuna ni su entorno (CAPAS_ENTORNO_M)."""
        limite = import_string(settings.CAPAS_LIMITE_REFERENCIA)()
        if limite is None:
            return
        caja = Polygon.from_bbox(bbox)
        caja.srid = limite.srid
        if not caja.intersects(ampliar(limite, settings.CAPAS_ENTORNO_M)):
            raise forms.ValidationError(
                f"La vista no toca la comuna ni su entorno de {settings.CAPAS_ENTORNO_M / 1000:.0f} km: "
                "revise la extensión (¿latitud y longitud intercambiadas?)."
            )
