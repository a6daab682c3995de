"""Categorías de restricción: qué capas restringen el uso del suelo, con qué fundamento y a qué usos.

Es conocimiento del ordenamiento, no del motor de capas: el motor guarda la categoría de cada capa
importada como un valor más; aquí se declara cuáles son de restricción (las que cuenta el informe de
superposición) y cómo afectan a cada uso propuesto. Un uso que la categoría no nombra no queda
restringido por ella.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from apps.ordenamiento.choices import Condicion, UsoSuelo
from capas.categorias import Categoria, categoria_registrar
from capas.estilos import Simbolo

R, E, P, INF, EP = (
    UsoSuelo.RESIDENCIAL,
    UsoSuelo.EQUIPAMIENTO,
    UsoSuelo.ACTIVIDADES_PRODUCTIVAS,
    UsoSuelo.INFRAESTRUCTURA,
    UsoSuelo.ESPACIO_PUBLICO,
)
PROHIBIDO, CONDICIONADO = Condicion.PROHIBIDO, Condicion.CONDICIONADO


@dataclass(frozen=True)
class Restriccion:
    """Categoría de restricción: su capa en el motor, su fundamento legal y los usos que restringe."""

    categoria: Categoria
    fundamento: str
    usos: dict[str, str] = field(default_factory=dict)

    @property
    def valor(self) -> str:
        """Devuelve el valor de la categoría (el que guarda cada capa importada)."""
        return self.categoria.valor

    def condicion_para(self, uso: str | None) -> str | None:
        """Devuelve si la categoría prohíbe o condiciona ``uso`` (None: no lo restringe)."""
        return self.usos.get(uso) if uso else None


RESTRICCIONES: tuple[Restriccion, ...] = (
    Restriccion(
        Categoria("area_protegida", _("Área protegida (SNASPE)"), Simbolo("#2ca02c", "#1b5e20")),
        _("Ley 18.362 y DS 4.363/1931: parques, reservas y monumentos naturales del Estado."),
        {R: PROHIBIDO, P: PROHIBIDO, INF: PROHIBIDO, E: CONDICIONADO, EP: CONDICIONADO},
    ),
    Restriccion(
        Categoria(
            "sitio_prioritario",
            _("Sitio prioritario de conservación (Ley 19.300)"),
            Simbolo("#98df8a", "#2e7d32"),
        ),
        _("Ley 19.300, art. 10 letra p y art. 11: obras en el sitio entran al SEIA."),
        {R: CONDICIONADO, P: CONDICIONADO, INF: CONDICIONADO, E: CONDICIONADO},
    ),
    Restriccion(
        Categoria("humedal", _("Humedal (Ley 21.202)"), Simbolo("#00bfa5", "#00695c")),
        _("Ley 21.202 de humedales urbanos (declarado o en proceso) y Ley 19.300, art. 10 letra s."),
        {R: PROHIBIDO, P: PROHIBIDO, INF: CONDICIONADO, E: CONDICIONADO},
    ),
    Restriccion(
        Categoria("inundacion", _("Riesgo de inundación"), Simbolo("#1f5fd1", "#0d2f73")),
        _("OGUC art. 2.1.17: área de riesgo; se edifica con estudio fundado aprobado."),
        {R: CONDICIONADO, E: CONDICIONADO, P: CONDICIONADO, INF: CONDICIONADO},
    ),
    Restriccion(
        Categoria("tsunami", _("Riesgo de tsunami"), Simbolo("#9467bd", "#4a2a6b")),
        _("OGUC art. 2.1.17: área de riesgo por tsunami; se edifica con estudio fundado aprobado."),
        {R: CONDICIONADO, E: CONDICIONADO, P: CONDICIONADO, INF: CONDICIONADO},
    ),
    Restriccion(
        Categoria("remocion", _("Remoción en masa"), Simbolo("#8c564b", "#4b2c25")),
        _("OGUC art. 2.1.17: área de riesgo por remoción en masa; exige estudio fundado."),
        {R: CONDICIONADO, E: CONDICIONADO, P: CONDICIONADO, INF: CONDICIONADO},
    ),
    Restriccion(
        Categoria("comunidad_indigena", _("Comunidad indígena / ADI"), Simbolo("#e377c2", "#7a2f63")),
        _("Ley 19.253 (tierras indígenas, ADI Lago Budi) y Convenio 169 OIT: consulta indígena."),
        {R: CONDICIONADO, E: CONDICIONADO, P: CONDICIONADO, INF: CONDICIONADO},
    ),
    Restriccion(
        Categoria("cauces", _("Franja de protección de cauces"), Simbolo("#81d4fa", "#0277bd")),
        _("OGUC art. 2.1.18 y Código de Aguas: franja no edificable a lo largo de ríos y esteros."),
        {R: PROHIBIDO, E: PROHIBIDO, P: PROHIBIDO, INF: CONDICIONADO},
    ),
    Restriccion(
        Categoria("utilidad_publica", _("Utilidad pública (Art. 59 LGUC)"), Simbolo("#d62728", "#7f1416")),
        _("LGUC art. 59: terreno declarado de utilidad pública para vías o parques del plan."),
        {R: PROHIBIDO, E: PROHIBIDO, P: PROHIBIDO, INF: CONDICIONADO},
    ),
)
POR_CATEGORIA: dict[str, Restriccion] = {r.valor: r for r in RESTRICCIONES}


def es_restriccion(categoria: str) -> bool:
    """Indica si las capas de ``categoria`` cuentan en el informe de superposición."""
    return categoria in POR_CATEGORIA


def registrar_categorias() -> None:
    """Registra en el motor de capas las categorías de restricción (llamada desde capas.py)."""
    for restriccion in RESTRICCIONES:
        categoria_registrar(restriccion.categoria)
