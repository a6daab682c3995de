"""Formulario de un proyecto de inversión con su ubicación dibujada en el mapa."""

from django import forms

from apps.nucleo.campos import CampoMontoCLP
from apps.nucleo.forms import CampoGeoJSON, FormularioConMapa
from apps.proyectos.models import Proyecto


class ProyectoFormulario(FormularioConMapa):
    """Crea o edita un proyecto: datos de la iniciativa, montos en CLP y ubicación (punto, línea o área)."""

    titulo_nuevo = "Nuevo proyecto"
    herramientas = ("punto", "linea", "poligono")
    monto_solicitado = CampoMontoCLP(
        label="Monto solicitado (CLP)", required=False, help_text="En pesos, p. ej. 150.000.000."
    )
    monto_aprobado = CampoMontoCLP(
        label="Monto aprobado (CLP)", required=False, help_text="En pesos; vacío si aún no se aprueba."
    )
    geom = CampoGeoJSON(
        label="Ubicación",
        required=False,
        tipos=("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"),
        help_text="Dibuje un punto, una línea (p. ej. un camino) o un polígono (el área de la obra).",
    )

    class Meta:
        model = Proyecto
        fields = [
            "nombre",
            "codigo_bip",
            "codigo_licitacion",
            "tipologia",
            "etapa",
            "institucion",
            "institucion_nombre",
            "unidad_tecnica",
            "fuente",
            "monto_solicitado",
            "monto_aprobado",
            "localidad",
            "descripcion",
            "geom",
        ]
        help_texts = {
            "codigo_bip": "8 dígitos, guion y dígito verificador (p. ej. 40012345-6); vacío si no tiene.",
            "etapa": "Etapa del ciclo de vida de la inversión.",
            "fuente": "Fondo que financia la iniciativa (FNDR, FRIL, PMU…).",
            "localidad": "Localidad o sector donde se ubica la obra.",
        }
        widgets = {"descripcion": forms.Textarea(attrs={"rows": 3})}
