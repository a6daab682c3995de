"""Formularios de la zonificación: zona dibujada, usos por zona (formset) e importación en dos pasos."""

from django import forms

from apps.nucleo.forms import CampoDecimal, CampoGeoJSON, FormularioConMapa
from apps.ordenamiento.choices import Condicion, InstrumentoPlanificacion, UsoSuelo
from apps.ordenamiento.models import NORMAS, Zona
from apps.ordenamiento.zonas.importacion import Mapeo
from apps.ordenamiento.zonas.normativa import EXTENSIONES_TABLA, MAX_BYTES_TABLA
from capas.importacion.seguridad import LIMITES, MIB, VECTORIALES


class ZonaFormulario(FormularioConMapa):
    """Crea o edita una zona: código, nombre, normas (coma decimal) y polígono dibujado."""

    titulo_nuevo = "Nueva zona"
    herramientas = ("poligono",)
    geom = CampoGeoJSON(
        label="Polígono",
        tipos=("MultiPolygon",),
        multi=True,
        help_text="Dibuje la zona; puede tener varias partes.",
    )

    class Meta:
        model = Zona
        fields = [
            "instrumento",
            "nombre_instrumento",
            "codigo",
            "nombre",
            *(c for c, _n, _u in NORMAS),
            "geom",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for campo, _nombre, _unidad in NORMAS:
            modelo = Zona._meta.get_field(campo)
            self.fields[campo] = CampoDecimal(
                label=str(modelo.verbose_name).capitalize(),
                required=False,
                help_text=f"{modelo.help_text} Vacío: el plan no fija esta norma.",
            )
            self.fields[campo].widget.attrs["class"] = "form-control"

    def clean(self):
        """Deja las normas como cifras (float); el rango lo valida el modelo en el servicio."""
        datos = super().clean()
        for campo, _nombre, _unidad in NORMAS:
            if datos.get(campo) is not None:
                datos[campo] = float(datos[campo])
        return datos


class UsoZonaFormulario(forms.Form):
    """Condición de un uso de suelo en la zona (una fila por uso del catálogo)."""

    uso = forms.ChoiceField(choices=UsoSuelo.choices, widget=forms.HiddenInput)
    condicion = forms.ChoiceField(
        label="Condición",
        required=False,
        choices=[("", "Sin norma")] + list(Condicion.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text="«Sin norma»: el plan no dice nada de este uso en la zona.",
    )
    observacion = forms.CharField(
        label="Observación",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 1, "class": "form-control"}),
        help_text="Clases admitidas o condiciones, según la ordenanza.",
    )

    @property
    def etiqueta_uso(self) -> str:
        """Devuelve el nombre legible del uso de la fila."""
        return UsoSuelo(self["uso"].value()).label if self["uso"].value() in UsoSuelo.values else ""

    def clean(self):
        """Exige una condición si se escribió una observación."""
        datos = super().clean()
        if datos.get("observacion", "").strip() and not datos.get("condicion"):
            self.add_error("condicion", "Elija la condición del uso que lleva la observación.")
        return datos


class _UsosBase(forms.BaseFormSet):
    """Valida que cada uso aparezca una sola vez."""

    def clean(self):
        """Rechaza usos repetidos (el formulario trae uno por uso del catálogo)."""
        if any(self.errors):
            return
        usos = [f.cleaned_data.get("uso") for f in self.forms]
        if len(usos) != len(set(usos)):
            raise forms.ValidationError("Cada uso de suelo va una sola vez.")

    def usos(self) -> list[dict]:
        """Devuelve los usos con condición, como los recibe el servicio."""
        return [
            {k: f.cleaned_data[k] for k in ("uso", "condicion", "observacion")}
            for f in self.forms
            if f.cleaned_data.get("condicion")
        ]


UsosFormset = forms.formset_factory(UsoZonaFormulario, formset=_UsosBase, extra=0, max_num=len(UsoSuelo))


def usos_iniciales(zona) -> list[dict]:
    """Devuelve una fila por uso del catálogo con la condición guardada de la zona (o vacía)."""
    guardados = {u.uso: u for u in zona.usos.all()}
    return [
        {
            "uso": uso,
            "condicion": getattr(guardados.get(uso), "condicion", ""),
            "observacion": getattr(guardados.get(uso), "observacion", ""),
        }
        for uso in UsoSuelo.values
    ]


def _bootstrap(formulario) -> None:
    """Da a los campos las clases de Bootstrap del sitio."""
    for campo in formulario.fields.values():
        if isinstance(campo.widget, forms.CheckboxInput):
            campo.widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(campo.widget, forms.Select):
            campo.widget.attrs.setdefault("class", "form-select")
        else:
            campo.widget.attrs.setdefault("class", "form-control")


class ImportarZonasFormulario(forms.Form):
    """Paso 1: el archivo de zonas, la tabla de normas opcional y el instrumento."""

    archivo = forms.FileField(
        label="Archivo de zonas",
        help_text="Polígonos en Shapefile (.zip), GeoPackage, GeoJSON o KML/KMZ.",
    )
    tabla = forms.FileField(
        label="Tabla de normas (opcional)",
        required=False,
        help_text="CSV o XLSX con una o varias filas por código de zona (normas y usos).",
    )
    instrumento = forms.ChoiceField(label="Instrumento", choices=InstrumentoPlanificacion.choices)
    nombre_instrumento = forms.CharField(
        label="Nombre del instrumento",
        max_length=200,
        required=False,
        help_text="Como se conoce el instrumento vigente, p. ej. «PRC Teodoro Schmidt 2015».",
    )
    capa = forms.CharField(label="Capa del GeoPackage/KML", max_length=200, required=False)
    srid = forms.IntegerField(
        label="SRID (EPSG)",
        required=False,
        min_value=1,
        help_text="Solo si el archivo no declara su sistema de coordenadas o lo declara mal.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_archivo(self):
        """Acepta solo formatos vectoriales del motor y tamaños bajo el límite."""
        archivo = self.cleaned_data["archivo"]
        extension = "." + archivo.name.rsplit(".", 1)[-1].lower() if "." in archivo.name else ""
        if extension not in {".zip", *VECTORIALES} - {".csv"}:
            raise forms.ValidationError(
                "Formato no aceptado: suba .zip (Shapefile), .gpkg, .geojson, .kml o .kmz."
            )
        if archivo.size > LIMITES.archivo:
            raise forms.ValidationError(f"El archivo supera el máximo de {LIMITES.archivo // MIB} MiB.")
        return archivo

    def clean_tabla(self):
        """Acepta solo CSV o XLSX bajo el límite."""
        tabla = self.cleaned_data.get("tabla")
        if tabla and not tabla.name.lower().endswith(EXTENSIONES_TABLA):
            raise forms.ValidationError("La tabla de normas debe ser .csv o .xlsx.")
        if tabla and tabla.size > MAX_BYTES_TABLA:
            raise forms.ValidationError(f"La tabla supera el máximo de {MAX_BYTES_TABLA // MIB} MiB.")
        return tabla


# Dato del mapeo → (etiqueta, nombres de campo que se proponen si el archivo los trae).
DATOS_MAPEO = {
    "codigo": ("Código de la zona", ("cod", "codigo", "code", "zona", "cod_zona")),
    "nombre": ("Nombre", ("nombre", "nom_zona", "name", "descripcion")),
    "densidad": ("Densidad máxima (hab/ha)", ("densidad", "densidad_bruta_maxima", "densidad_max")),
    "altura": ("Altura máxima (m)", ("altura", "altura_max", "altura_maxima_mts", "altura_m")),
    "constructibilidad": ("Constructibilidad", ("constructibilidad", "coef_const")),
    "ocupacion": ("Ocupación de suelo (0–1)", ("ocupacion", "ocupacion_suelo", "ocupacion_1er_piso")),
    "superficie_predial": (
        "Superficie predial mínima (m²)",
        ("subdivision_predial_minima", "sup_predial_min"),
    ),
    "antejardin": ("Antejardín (m)", ("antejardin",)),
    "uso_permitido": ("Usos permitidos (texto)", ("uso_permitido", "usos_permitidos")),
    "uso_condicionado": ("Usos condicionados (texto)", ("uso_condicionado", "usos_condicionados")),
    "uso_prohibido": ("Usos prohibidos (texto)", ("uso_prohibido", "usos_prohibidos")),
}


class MapeoFormulario(forms.Form):
    """Paso 2: qué campo del archivo (o columna de la tabla) da cada dato de la zona."""

    unir_por_codigo = forms.BooleanField(
        label="Unir los polígonos del mismo código",
        required=False,
        help_text="Si el archivo trae una zona en varios polígonos con el mismo código, se guardan como una.",
    )
    reemplazar = forms.BooleanField(
        label="Reemplazar las zonas del instrumento",
        required=False,
        help_text="Sincroniza las zonas ya cargadas del instrumento: actualiza, agrega y quita.",
    )
    reparar = forms.BooleanField(label="Reparar geometrías inválidas (MakeValid)", required=False)

    def __init__(self, *args, campos: list[str], columnas: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        opciones = [("", "— no viene —")] + [(c, f"{c} (archivo)") for c in campos]
        opciones += [(c, f"{c} (tabla)") for c in columnas if c not in campos]
        disponibles = {c.lower(): c for c in [*campos, *columnas]}
        for dato, (etiqueta, sugeridos) in DATOS_MAPEO.items():
            sugerido = next((disponibles[s] for s in sugeridos if s in disponibles), "")
            lista = opciones if dato != "codigo" else [("", "— elija —")] + [(c, c) for c in campos]
            self.fields[f"campo_{dato}"] = forms.ChoiceField(
                label=etiqueta, choices=lista, required=dato == "codigo", initial=sugerido
            )
        _bootstrap(self)

    def mapeo(self) -> Mapeo:
        """Devuelve el mapeo elegido."""
        return Mapeo(**{dato: self.cleaned_data[f"campo_{dato}"] for dato in DATOS_MAPEO})
