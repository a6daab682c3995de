"""Demostración del ordenamiento: propuestas con su flujo, zonas con usos y capas de restricción.

Las figuras se arman unas respecto de otras (una zona contiene una propuesta, una franja de
inundación cubre media propuesta, una remoción en masa queda a 300 m) para que el informe de
superposición de la demo muestre de todo. Las capas de restricción son capas importadas (del motor,
sin marca de demo): se reconocen por su identificador ``demo-…`` y su título «[DEMO] …».
"""

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Polygon

from apps.ordenamiento.choices import Condicion, EstadoPropuesta, UsoSuelo
from apps.ordenamiento.models import EtapaPropuesta, PropuestaUsoSuelo, UsoZona, Zona
from apps.ordenamiento.superposicion import informe_de_propuesta
from capas.geometria import a_multi
from capas.models import CapaReferencia, ElementoReferencia
from capas.srid import reproyectar

PREFIJO_CAPA = "demo-"
# Cuenta que firma las etapas de la demo cuando nadie la carga con su usuario (no puede ingresar).
CUENTA_DEMO = "demo-territorio"
PROPUESTAS = [
    ("Área verde ribera del estero", UsoSuelo.AREA_VERDE, EstadoPropuesta.BORRADOR),
    ("Equipamiento educacional sector norte", UsoSuelo.EQUIPAMIENTO, EstadoPropuesta.EN_REVISION),
    (
        "Zona de actividades productivas inofensivas",
        UsoSuelo.ACTIVIDADES_PRODUCTIVAS,
        EstadoPropuesta.PRESENTADA,
    ),
]
# Zonas del PRC de demostración: (código, nombre, densidad, {uso: condición}).
ZONAS = [
    (
        "ZU-1",
        "Zona urbana central",
        120.0,
        {
            UsoSuelo.RESIDENCIAL: Condicion.PERMITIDO,
            UsoSuelo.EQUIPAMIENTO: Condicion.PERMITIDO,
            UsoSuelo.AREA_VERDE: Condicion.PERMITIDO,
            UsoSuelo.ACTIVIDADES_PRODUCTIVAS: Condicion.PROHIBIDO,
        },
    ),
    (
        "ZE-1",
        "Zona de extensión urbana",
        40.0,
        {
            UsoSuelo.RESIDENCIAL: Condicion.PERMITIDO,
            UsoSuelo.ACTIVIDADES_PRODUCTIVAS: Condicion.CONDICIONADO,
            UsoSuelo.INFRAESTRUCTURA: Condicion.CONDICIONADO,
        },
    ),
]
# Pasos del flujo hasta cada estado (desde, hacia).
PASOS = {
    EstadoPropuesta.BORRADOR: [],
    EstadoPropuesta.EN_REVISION: [(EstadoPropuesta.BORRADOR, EstadoPropuesta.EN_REVISION)],
    EstadoPropuesta.PRESENTADA: [
        (EstadoPropuesta.BORRADOR, EstadoPropuesta.EN_REVISION),
        (EstadoPropuesta.EN_REVISION, EstadoPropuesta.PRESENTADA),
    ],
}


def _ampliado(poligono: Polygon, metros: float, metrico: int) -> Polygon:
    """Devuelve el rectángulo envolvente de ``poligono`` ampliado ``metros`` (en el SRID métrico)."""
    x0, y0, x1, y1 = reproyectar(poligono, metrico).extent
    caja = Polygon.from_bbox((x0 - metros, y0 - metros, x1 + metros, y1 + metros))
    caja.srid = metrico
    return reproyectar(caja, poligono.srid)


def _desplazado(poligono: Polygon, dx: float, dy: float, metrico: int) -> Polygon:
    """Devuelve el rectángulo envolvente de ``poligono`` corrido (dx, dy) metros."""
    x0, y0, x1, y1 = reproyectar(poligono, metrico).extent
    caja = Polygon.from_bbox((x0 + dx, y0 + dy, x1 + dx, y1 + dy))
    caja.srid = metrico
    return reproyectar(caja, poligono.srid)


def _capa(nombre: str, titulo: str, categoria: str, poligonos: list[Polygon]) -> CapaReferencia:
    """Crea una capa de restricción de demostración con un elemento por polígono."""
    capa = CapaReferencia.objects.create(
        nombre=f"{PREFIJO_CAPA}{nombre}",
        titulo=titulo,
        categoria=categoria,
        tipo_geometria="MultiPolygon",
        campos=[{"nombre": "nombre", "tipo": "texto"}],
        srid_origen=4326,
        archivo_origen="apps/demo/ordenamiento.py",
        formato="generado",
        n_elementos=len(poligonos),
    )
    ElementoReferencia.objects.bulk_create(
        ElementoReferencia(capa=capa, fid=fid, geom=a_multi(p), atributos={"nombre": f"{titulo} {fid}"})
        for fid, p in enumerate(poligonos, start=1)
    )
    return capa


def _firmante(actor):
    """Devuelve quién firma las etapas: quien carga la demo, o la cuenta de demostración."""
    if actor is not None:
        return actor
    cuenta, _creada = get_user_model().objects.get_or_create(
        username=CUENTA_DEMO, defaults={"is_active": False, "first_name": "Demostración"}
    )
    return cuenta


def demo_ordenamiento_cargar(*, gen, comuna, actor, prefijo: str, guardar) -> dict[str, int]:
    """Carga propuestas (con las etapas de su flujo), zonas con usos y dos capas de restricción."""
    propuestas = []
    for nombre, uso, estado in PROPUESTAS:
        propuestas.append(
            guardar(
                PropuestaUsoSuelo(
                    comuna=comuna,
                    nombre=f"{prefijo}{nombre}",
                    uso_propuesto=uso,
                    estado=estado,
                    justificacion="Propuesta ficticia para la demostración del sistema.",
                    geom=a_multi(gen.rectangulo(gen.azar.randint(200, 600), gen.azar.randint(200, 600))),
                )
            )
        )
    # Cada zona contiene una propuesta (la 2.ª en la urbana, la 3.ª en la de extensión).
    for (codigo, nombre, densidad, usos), propuesta in zip(ZONAS, propuestas[1:], strict=True):
        zona = guardar(
            Zona(
                comuna=comuna,
                instrumento="prc",
                nombre_instrumento=f"{prefijo}PRC de demostración",
                codigo=codigo,
                nombre=f"{prefijo}{nombre}",
                densidad_max_hab_ha=densidad,
                geom=a_multi(_ampliado(propuesta.geom[0], 250, gen.metrico)),
            )
        )
        UsoZona.objects.bulk_create(UsoZona(zona=zona, uso=u, condicion=c) for u, c in usos.items())
    # Inundación sobre la mitad este de la 1.ª propuesta; remoción en masa a 300 m al norte de la 2.ª.
    primera, segunda = propuestas[0].geom[0], propuestas[1].geom[0]
    x0, _y0, x1, _y1 = reproyectar(primera, gen.metrico).extent
    _capa(
        "inundacion",
        f"{prefijo}Riesgo de inundación del estero",
        "inundacion",
        [_desplazado(primera, (x1 - x0) / 2, 0, gen.metrico)],
    )
    _x0, y0, _x1, y1 = reproyectar(segunda, gen.metrico).extent
    _capa(
        "remocion",
        f"{prefijo}Remoción en masa de la ladera",
        "remocion",
        [_desplazado(segunda, 0, y1 - y0 + 300, gen.metrico)],
    )
    firmante = _firmante(actor)
    etapas = 0
    for propuesta in propuestas:
        informe = informe_de_propuesta(propuesta)
        for desde, hacia in PASOS[propuesta.estado]:
            EtapaPropuesta.objects.create(
                comuna=comuna,
                propuesta=propuesta,
                desde=desde,
                hacia=hacia,
                actor=firmante,
                version=propuesta.version,
                nombre=propuesta.nombre,
                uso_propuesto=propuesta.uso_propuesto,
                justificacion=propuesta.justificacion,
                geom=propuesta.geom,
                informe=informe,
            )
            etapas += 1
    return {"propuestas": len(propuestas), "etapas": etapas, "zonas": len(ZONAS), "capas_restriccion": 2}


def demo_ordenamiento_eliminar() -> int:
    """Borra lo del ordenamiento que la demo crea sin marca: usos de sus zonas y sus capas."""
    usos, _ = UsoZona.objects.filter(zona__es_demo=True).delete()
    capas, _ = capas_demo().delete()
    return usos + capas


def capas_demo():
    """Devuelve las capas de restricción de la demostración (identificador demo-…, título [DEMO])."""
    return CapaReferencia.objects.filter(nombre__startswith=PREFIJO_CAPA, titulo__startswith="[DEMO]")


def es_parte_de_demo(objeto) -> bool:
    """Indica si ``objeto`` (sin marca propia) pertenece a un registro de demostración."""
    if isinstance(objeto, EtapaPropuesta):
        return PropuestaUsoSuelo.objects.filter(pk=objeto.propuesta_id, es_demo=True).exists()
    if isinstance(objeto, UsoZona):
        return Zona.objects.filter(pk=objeto.zona_id, es_demo=True).exists()
    return False
