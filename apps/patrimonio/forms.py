"""Formularios del patrimonio municipal: inmuebles, activos y concesiones, con su geometría en el mapa."""

from django import forms

from apps.nucleo.campos import CampoFecha, CampoMontoCLP
from apps.nucleo.forms import CampoDecimal, CampoGeoJSON, CampoRUT, FormularioConMapa
from apps.patrimonio.models import Activo, BienInmueble, Concesion

POLIGONOS = ("MultiPolygon",)


class BienInmuebleFormulario(FormularioConMapa):
    """Crea o edita un bien inmueble: rol SII, inscripción en el Conservador y su polígono."""

    titulo_nuevo = "Nuevo bien inmueble"
    herramientas = ("poligono",)
    superficie_m2 = CampoDecimal(
        label="Superficie según título (m²)",
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text="La que dice la inscripción, p. ej. 1.250,5.",
    )
    geom = CampoGeoJSON(
        label="Polígono",
        tipos=POLIGONOS,
        multi=True,
        help_text="Dibuje el predio; agregue más polígonos si tiene varias partes.",
    )

    class Meta:
        model = BienInmueble
        fields = [
            "nombre",
            "rol_manzana",
            "rol_predio",
            "direccion",
            "destino",
            "tenencia",
            "estado_saneamiento",
            "superficie_m2",
            "conservador",
            "cbr_registro",
            "cbr_fojas",
            "cbr_fojas_vuelta",
            "cbr_numero",
            "cbr_anio",
            "geom",
        ]
        help_texts = {
            "rol_manzana": "Primera parte del rol SII (manzana), p. ej. 573 en 573-24.",
            "rol_predio": "Segunda parte del rol SII (predio), p. ej. 24 en 573-24.",
            "cbr_fojas": "Fojas de la inscripción de dominio.",
        }


class ActivoFormulario(FormularioConMapa):
    """Crea o edita un activo municipal sobre un inmueble, con su ubicación (punto)."""

    titulo_nuevo = "Nuevo activo"
    campo_geometria = "ubicacion"
    herramientas = ("punto",)
    ajustar_a = ((BienInmueble, "geom"),)
    ubicacion = CampoGeoJSON(
        label="Ubicación",
        required=False,
        tipos=("Point",),
        help_text="Marque en el mapa dónde está el activo (p. ej. la entrada del gimnasio).",
    )

    class Meta:
        model = Activo
        fields = ["nombre", "tipo", "inmueble", "descripcion", "ubicacion"]
        help_texts = {"inmueble": "Bien inmueble municipal donde está el activo."}
        widgets = {"descripcion": forms.Textarea(attrs={"rows": 3})}


class ConcesionFormulario(FormularioConMapa):
    """Crea o edita una concesión (arriendo, comodato…) de un activo, con su área concesionada."""

    titulo_nuevo = "Nueva concesión"
    herramientas = ("poligono",)
    ajustar_a = ((BienInmueble, "geom"),)
    titular_rut = CampoRUT(label="RUT del titular")
    fecha_inicio = CampoFecha(label="Fecha de inicio", help_text="dd-mm-aaaa.")
    fecha_termino = CampoFecha(
        label="Fecha de término", required=False, help_text="dd-mm-aaaa; vacía si es indefinida."
    )
    canon_clp = CampoMontoCLP(label="Canon (CLP)", required=False, help_text="En pesos, p. ej. 350.000.")
    geom = CampoGeoJSON(
        label="Área concesionada",
        required=False,
        tipos=POLIGONOS,
        multi=True,
        help_text="Dibuje el área si la concesión no abarca todo el activo.",
    )

    class Meta:
        model = Concesion
        fields = [
            "activo",
            "tipo",
            "titular_nombre",
            "titular_rut",
            "fecha_inicio",
            "fecha_termino",
            "canon_clp",
            "periodicidad",
            "garantia",
            "estado",
            "geom",
        ]
        help_texts = {
            "estado": (
                "Otorgada, terminada anticipadamente o caducada. Si está vigente, por vencer o vencida "
                "lo calculan sus fechas: no se escribe."
            ),
            "garantia": "Boleta de garantía u otra caución, p. ej. «Boleta N° 123 por $ 500.000».",
        }
