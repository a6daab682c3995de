"""Estilos de capa: una definición produce el estilo Leaflet, la leyenda y el QML de QGIS."""

from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from capas.geometria import tipo_simple

# Leaflet mide en píxeles; QGIS, en milímetros (1 px ≈ 0,2646 mm a 96 ppp).
MM_POR_PX = 0.2646
# Versión de QGIS que declara el QML (la de Debian 12); versiones posteriores lo leen igual.
VERSION_QGIS = "3.22.16-Białowieża"
DOCTYPE_QGIS = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"

PALETA = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
# Paleta secuencial para coropletas (ColorBrewer YlOrRd, 6 clases).
PALETA_GRADUADA = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
# Tope de la última clase graduada en QGIS (que exige un número): más que cualquier monto en CLP.
TOPE_QGIS = 10**15


@dataclass(frozen=True)
class Simbolo:
    """Apariencia de un elemento: relleno, borde y tamaño (colores en hexadecimal #rrggbb)."""

    relleno: str = "#3388ff"
    borde: str = "#1f4e5f"
    ancho: float = 1.5
    opacidad: float = 0.35
    radio: float = 5.0

    def leaflet(self) -> dict:
        """Devuelve las opciones de estilo de Leaflet (path y circleMarker)."""
        return {
            "color": self.borde,
            "weight": self.ancho,
            "fillColor": self.relleno,
            "fillOpacity": self.opacidad,
            "radius": self.radio,
        }


@dataclass(frozen=True)
class Categoria:
    """Un valor del campo de categoría con su etiqueta y su símbolo."""

    valor: str
    etiqueta: str
    simbolo: Simbolo


@dataclass(frozen=True)
class Rango:
    """Clase de un estilo graduado: valores enteros desde ``minimo`` hasta antes de ``maximo``.

    ``maximo`` None: sin tope (la última clase, «o más»).
    """

    minimo: int
    maximo: int | None
    etiqueta: str
    simbolo: Simbolo


@dataclass(frozen=True)
class Estilo:
    """Estilo de símbolo único, categorizado por un campo o graduado por rangos de un campo numérico."""

    simbolo: Simbolo = field(default_factory=Simbolo)
    campo: str | None = None
    categorias: tuple[Categoria, ...] = ()
    rangos: tuple[Rango, ...] = ()

    @classmethod
    def graduado(
        cls, campo: str, cortes, paleta=PALETA_GRADUADA, *, prefijo: str = "$ ", base: Simbolo | None = None
    ) -> "Estilo":
        """Devuelve un estilo graduado (coropleta) por ``campo``, de valores enteros (p. ej. CLP).

        ``cortes`` son los mínimos de cada clase, crecientes: la clase i va de ``cortes[i]`` hasta
        ``cortes[i+1] - 1`` y la última no tiene tope. Un valor bajo el primer corte (o nulo) se
        dibuja con el símbolo base. Las etiquetas van en formato es-CL («$ 1.234.567»).
        """
        cortes = [int(c) for c in cortes]
        if not cortes or any(a >= b for a, b in zip(cortes, cortes[1:], strict=False)):
            raise ValueError("Los cortes de un estilo graduado deben ser crecientes y al menos uno.")
        if len(paleta) < len(cortes):
            raise ValueError(f"La paleta tiene {len(paleta)} colores y hay {len(cortes)} clases.")
        base = base or Simbolo(relleno="#d9d9d9", borde="#636363", ancho=1.0, opacidad=0.7)
        rangos = []
        for i, minimo in enumerate(cortes):
            maximo = cortes[i + 1] if i + 1 < len(cortes) else None
            if maximo is None:
                etiqueta = f"{numero_es_cl(minimo, prefijo)} o más"
            else:
                etiqueta = f"{numero_es_cl(minimo, prefijo)} – {numero_es_cl(maximo - 1, prefijo)}"
            simbolo = Simbolo(paleta[i], base.borde, base.ancho, base.opacidad, base.radio)
            rangos.append(Rango(minimo, maximo, etiqueta, simbolo))
        return cls(simbolo=base, campo=campo, rangos=tuple(rangos))

    @classmethod
    def categorizado(
        cls, campo: str, opciones, *, base: Simbolo | None = None, paleta=PALETA, lineas: bool = False
    ) -> "Estilo":
        """Devuelve un estilo categorizado con un color de la paleta por cada opción (valor, etiqueta).

        En capas de líneas (``lineas=True``) el color de la categoría va en el trazo.
        """
        base = base or Simbolo()
        categorias = tuple(
            Categoria(
                str(valor),
                str(etiqueta),
                Simbolo(
                    paleta[i % len(paleta)],
                    paleta[i % len(paleta)] if lineas else base.borde,
                    base.ancho,
                    base.opacidad,
                    base.radio,
                ),
            )
            for i, (valor, etiqueta) in enumerate(opciones)
        )
        return cls(simbolo=base, campo=campo, categorias=categorias)

    def leaflet(self) -> dict:
        """Devuelve el estilo para el visor: base, campo, símbolo por valor y por rango.

        Un valor ``v`` es del rango ``r`` si ``r.min <= v`` y (``r.max`` es null o ``v < r.max``).
        """
        return {
            "base": self.simbolo.leaflet(),
            "campo": self.campo,
            "categorias": {c.valor: c.simbolo.leaflet() for c in self.categorias},
            "rangos": [
                {"min": r.minimo, "max": r.maximo, "estilo": r.simbolo.leaflet()} for r in self.rangos
            ],
        }

    def leyenda(self) -> list[dict]:
        """Devuelve las entradas de la leyenda (etiqueta y estilo Leaflet)."""
        if self.rangos:
            return [{"etiqueta": r.etiqueta, "estilo": r.simbolo.leaflet()} for r in self.rangos]
        if not self.categorias:
            return [{"etiqueta": "", "estilo": self.simbolo.leaflet()}]
        return [{"etiqueta": c.etiqueta, "estilo": c.simbolo.leaflet()} for c in self.categorias]

    def qml(self, tipo_geometria: str) -> str:
        """Devuelve el estilo como documento QML de QGIS para la geometría dada."""
        renderer = self.renderer_qml(tipo_geometria)
        return (
            DOCTYPE_QGIS + f'<qgis version="{VERSION_QGIS}" styleCategories="Symbology">{renderer}</qgis>\n'
        )

    def renderer_qml(self, tipo_geometria: str) -> str:
        """Devuelve el ``<renderer-v2>`` del estilo (el QML y el proyecto QGIS lo comparten)."""
        tipo = tipo_simbolo(tipo_geometria)
        if self.rangos:
            return self._renderer_graduado(tipo)
        if not self.categorias:
            renderer = (
                '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
                f"<symbols>{_simbolo_qml(tipo, '0', self.simbolo)}</symbols></renderer-v2>"
            )
        else:
            categorias = "".join(
                f'<category render="true" value={quoteattr(c.valor)} label={quoteattr(c.etiqueta)} '
                f'symbol="{i}"/>'
                for i, c in enumerate(self.categorias)
            )
            simbolos = "".join(_simbolo_qml(tipo, str(i), c.simbolo) for i, c in enumerate(self.categorias))
            renderer = (
                f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(self.campo)} symbollevels="0" '
                'enableorderby="0" forceraster="0">'
                f"<categories>{categorias}</categories><symbols>{simbolos}</symbols>"
                f"<source-symbol>{_simbolo_qml(tipo, '0', self.simbolo)}</source-symbol></renderer-v2>"
            )
        return renderer

    def _renderer_graduado(self, tipo: str) -> str:
        """Devuelve el ``graduatedSymbol`` de QGIS con los mismos rangos que el visor.

        QGIS cuenta un valor en el rango si ``lower < v <= upper`` (el primero incluye ``lower``):
        con valores enteros, la clase [mínimo, máximo) es (mínimo − 1, máximo − 1].
        """
        rangos = "".join(
            f'<range render="true" symbol="{i}" label={quoteattr(r.etiqueta)} '
            f'lower="{r.minimo if i == 0 else r.minimo - 1}" '
            f'upper="{TOPE_QGIS if r.maximo is None else r.maximo - 1}"/>'
            for i, r in enumerate(self.rangos)
        )
        simbolos = "".join(_simbolo_qml(tipo, str(i), r.simbolo) for i, r in enumerate(self.rangos))
        return (
            f'<renderer-v2 type="graduatedSymbol" attr={quoteattr(self.campo)} '
            'graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">'
            f"<ranges>{rangos}</ranges><symbols>{simbolos}</symbols>"
            f"<source-symbol>{_simbolo_qml(tipo, '0', self.simbolo)}</source-symbol>"
            '<mode name="manual"/></renderer-v2>'
        )


def numero_es_cl(valor: int, prefijo: str = "") -> str:
    """Devuelve el entero con punto de miles (es-CL), p. ej. ``$ 1.234.567``."""
    return prefijo + f"{int(valor):,}".replace(",", ".")


def tipo_simbolo(tipo_geometria: str) -> str:
    """Devuelve el tipo de símbolo de QGIS (marker, line, fill) para un tipo de geometría OGC."""
    tipo = tipo_simple(tipo_geometria)
    if tipo == "POINT":
        return "marker"
    if tipo == "LINESTRING":
        return "line"
    if tipo == "POLYGON":
        return "fill"
    raise ValueError(f"Tipo de geometría sin símbolo de QGIS: {tipo_geometria}")


def _rgba(hexadecimal: str, opacidad: float = 1.0) -> str:
    """Devuelve el color como 'r,g,b,a' (formato de QGIS)."""
    h = hexadecimal.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(opacidad * 255)}"


def _opciones(valores: dict) -> str:
    """Devuelve un mapa <Option> de QGIS con valores de texto."""
    filas = "".join(
        f'<Option type="QString" name="{nombre}" value={quoteattr(str(valor))}/>'
        for nombre, valor in valores.items()
    )
    return f'<Option type="Map">{filas}</Option>'


def _simbolo_qml(tipo: str, nombre: str, s: Simbolo) -> str:
    """Devuelve un <symbol> de QGIS equivalente al símbolo."""
    ancho_mm = f"{s.ancho * MM_POR_PX:.3f}"
    if tipo == "marker":
        capa = (
            "SimpleMarker",
            {
                "name": "circle",
                "color": _rgba(s.relleno, max(s.opacidad, 0.8)),
                "outline_color": _rgba(s.borde),
                "outline_width": ancho_mm,
                "outline_width_unit": "MM",
                "size": f"{2 * s.radio * MM_POR_PX:.3f}",
                "size_unit": "MM",
            },
        )
    elif tipo == "line":
        capa = (
            "SimpleLine",
            {
                "line_color": _rgba(s.borde),
                "line_width": f"{max(s.ancho, 2) * MM_POR_PX:.3f}",
                "line_width_unit": "MM",
                "line_style": "solid",
            },
        )
    else:
        capa = (
            "SimpleFill",
            {
                "color": _rgba(s.relleno, s.opacidad),
                "outline_color": _rgba(s.borde),
                "outline_width": ancho_mm,
                "outline_width_unit": "MM",
                "style": "solid",
                "outline_style": "solid",
            },
        )
    clase, valores = capa
    return (
        f'<symbol type="{tipo}" name="{nombre}" alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class="{clase}" enabled="1" pass="0" locked="0">{_opciones(valores)}</layer></symbol>'
    )
