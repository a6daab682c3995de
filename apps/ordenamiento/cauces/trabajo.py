"""La franja de cauces como trabajo acotado: la función que corre el hijo y el contexto de su página."""

from apps.ordenamiento.cauces.services import PeticionFranja, franja_cauces_crear
from capas.importacion.informe import ImportacionRechazada
from capas.models import CapaReferencia
from capas.trabajos.tipos import TipoTrabajo, TrabajoRechazado

TIPO = TipoTrabajo(
    nombre="franja_cauces",
    sujeto="La franja de cauces",
    titulo="Franja de protección de cauces",
    funcion="apps.ordenamiento.cauces.trabajo.crear",
    plantilla="ordenamiento/_franja_resultado.html",
    contexto="apps.ordenamiento.cauces.trabajo.contexto",
)


def peticion_de(parametros: dict) -> PeticionFranja:
    """Devuelve la petición guardada en los parámetros (JSON) del trabajo."""
    return PeticionFranja(
        origen=parametros["origen"],
        nombre=parametros["nombre"],
        ancho_m=parametros.get("ancho_m"),
        titulo=parametros.get("titulo", ""),
        disolver=parametros.get("disolver", False),
        publica=parametros.get("publica", False),
        descripcion=parametros.get("descripcion", ""),
    )


def parametros_de(peticion: PeticionFranja, *, desde_orden: bool = False) -> dict:
    """Devuelve los parámetros (JSON) del trabajo que crea la franja pedida."""
    return {
        "origen": peticion.origen,
        "nombre": peticion.nombre,
        "ancho_m": peticion.ancho_m,
        "titulo": peticion.titulo,
        "disolver": peticion.disolver,
        "publica": peticion.publica,
        "descripcion": peticion.descripcion,
        # Los rechazos hablan de las opciones de la orden (--ancho), no de los campos del formulario.
        "desde_orden": desde_orden,
    }


def crear(trabajo, progreso) -> dict:
    """Crea la franja descrita en los parámetros del trabajo; devuelve la capa creada."""
    try:
        capa = franja_cauces_crear(
            peticion=peticion_de(trabajo.parametros), actor=trabajo.usuario, progreso=progreso
        )
    except ImportacionRechazada as rechazo:
        raise TrabajoRechazado(
            rechazo.texto(para_orden=trabajo.parametros.get("desde_orden", False)), detalles=rechazo.detalles
        )
    return {"capas": [{"clase": "vectorial", "id": capa.pk, "nombre": capa.nombre}]}


def contexto(trabajo) -> dict:
    """Devuelve la capa creada por el trabajo (o None si ya se borró), para mostrar su informe."""
    ids = [datos["id"] for datos in trabajo.resultado.get("capas", [])]
    return {"capa": CapaReferencia.objects.filter(pk__in=ids).first()}
