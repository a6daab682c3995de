"""Historial legible de un registro: quién, cuándo y qué cambió (sobre los eventos de pghistory).

Cada evento de pghistory es una foto completa de la fila (alta: la nueva; cambio: la nueva; baja: la
última). Los cambios de un evento salen de comparar su foto con la anterior del mismo registro, campo
por campo, y se escriben como los escribiría una persona: la etiqueta del campo (``verbose_name``), las
opciones por su etiqueta, las claves foráneas por el nombre del registro, montos en CLP, fechas
dd-mm-aaaa y las geometrías como «geometría modificada».
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.gis.db.models import GeometryField
from django.db import models
from django.utils.text import capfirst

from apps.nucleo import formatos

ACCIONES = {"alta": "Creó", "cambio": "Modificó", "baja": "Eliminó"}
# Campos de servicio: no son un cambio que le importe a quien lee.
IGNORADOS = {"id", "version", "modificado", "creado", "comuna"}
GEOMETRIA_MODIFICADA = "geometría modificada"


@dataclass(frozen=True)
class Cambio:
    """Un campo que cambió: su etiqueta y los valores antes y después, ya legibles."""

    campo: str
    antes: str
    despues: str


@dataclass(frozen=True)
class Evento:
    """Un evento del historial de un registro, listo para leer."""

    fecha: datetime
    accion: str
    usuario: str
    cambios: tuple[Cambio, ...] = field(default=())
    etiqueta: str = ""  # alta, cambio o baja (para estilos y pruebas)


def nombre_actor(contexto: dict | None) -> str:
    """Devuelve quién hizo el cambio: el nombre de la cuenta, o el origen si fue una orden del sistema."""
    contexto = contexto or {}
    pk = contexto.get("user")
    if pk is None:
        return contexto.get("origen") or "sistema"
    cuenta = get_user_model().objects.filter(pk=pk).first()
    if cuenta is None:
        return f"cuenta #{pk}"
    return cuenta.get_full_name() or cuenta.get_username()


def _contexto(evento) -> dict:
    """Devuelve los metadatos del contexto de pghistory del evento ({} si no tiene)."""
    return evento.pgh_context.metadata if evento.pgh_context_id else {}


def ultimo_evento(instancia) -> Evento | None:
    """Devuelve el último evento del historial del registro, o None si no tiene historial."""
    eventos = getattr(instancia, "events", None)
    if eventos is None:
        return None
    evento = eventos.select_related("pgh_context").order_by("-pgh_id").first()
    if evento is None:
        return None
    return Evento(
        fecha=evento.pgh_created_at,
        accion=ACCIONES.get(evento.pgh_label, evento.pgh_label),
        usuario=nombre_actor(_contexto(evento)),
        etiqueta=evento.pgh_label,
    )


def es_monto(campo) -> bool:
    """Indica si el campo es un monto en pesos (por su nombre o su etiqueta «(CLP)»)."""
    return campo.name.startswith(("monto", "canon")) or "CLP" in str(campo.verbose_name)


def valor_legible(campo, valor, *, nombres: dict | None = None) -> str:
    """Devuelve el valor de ``campo`` como lo escribiría una persona (es-CL)."""
    if isinstance(campo, GeometryField):
        return "sin geometría" if valor is None else "geometría"
    if valor is None or valor == "":
        return formatos.VACIO
    if campo.choices:
        return str(dict(campo.flatchoices).get(valor, valor))
    if isinstance(campo, models.ForeignKey):
        if nombres is not None and valor in nombres:
            return nombres[valor]
        registro = campo.related_model._base_manager.filter(pk=valor).first()
        return str(registro) if registro is not None else f"#{valor} (eliminado)"
    if isinstance(campo, models.BooleanField):
        return "Sí" if valor else "No"
    if isinstance(valor, datetime):
        return formatos.fecha_hora(valor)
    if isinstance(valor, date):
        return formatos.fecha(valor)
    if isinstance(valor, int) and es_monto(campo):
        return formatos.clp(valor)
    if "rut" in campo.name:
        return formatos.rut(valor)
    if isinstance(valor, Decimal | float):
        return formatos.numero(valor, 2)
    if isinstance(valor, int) and not campo.name.endswith("_anio"):
        return formatos.numero(valor) if abs(valor) >= 10000 else str(valor)
    return str(valor)


def campos_auditables(modelo) -> list:
    """Devuelve los campos concretos del modelo que el historial compara, en el orden del modelo."""
    return [c for c in modelo._meta.concrete_fields if c.name not in IGNORADOS]


def _foto(evento, campos) -> dict:
    """Devuelve los valores crudos de los campos en la foto del evento (FK por su id)."""
    return {c.name: getattr(evento, c.attname, None) for c in campos}


def _cambios(campos, antes: dict, despues: dict) -> tuple[Cambio, ...]:
    """Devuelve los campos que difieren entre dos fotos, legibles."""
    cambios = []
    for campo in campos:
        viejo, nuevo = antes.get(campo.name), despues.get(campo.name)
        if isinstance(campo, GeometryField):
            iguales = (viejo is None and nuevo is None) or (
                viejo is not None and nuevo is not None and viejo.equals_exact(nuevo, 1e-9)
            )
            if not iguales:
                cambios.append(Cambio(capfirst(str(campo.verbose_name)), "", GEOMETRIA_MODIFICADA))
            continue
        if viejo != nuevo and not (viejo in (None, "") and nuevo in (None, "")):
            cambios.append(
                Cambio(
                    capfirst(str(campo.verbose_name)),
                    valor_legible(campo, viejo),
                    valor_legible(campo, nuevo),
                )
            )
    return tuple(cambios)


def historial_de(instancia) -> list[Evento]:
    """Devuelve el historial legible del registro, del más reciente al más antiguo."""
    eventos = getattr(instancia, "events", None)
    if eventos is None:
        return []
    campos = campos_auditables(type(instancia))
    resultado = []
    anterior: dict = {}
    for evento in eventos.select_related("pgh_context").order_by("pgh_id"):
        foto = _foto(evento, campos)
        if evento.pgh_label == "alta":
            cambios = ()
        elif evento.pgh_label == "baja":
            cambios = ()
        else:
            cambios = _cambios(campos, anterior, foto)
        anterior = foto
        if evento.pgh_label == "cambio" and not cambios:
            continue  # solo cambió la versión o la fecha de modificación
        resultado.append(
            Evento(
                fecha=evento.pgh_created_at,
                accion=ACCIONES.get(evento.pgh_label, evento.pgh_label),
                usuario=nombre_actor(_contexto(evento)),
                cambios=cambios,
                etiqueta=evento.pgh_label,
            )
        )
    resultado.reverse()
    return resultado


@dataclass(frozen=True)
class EventoReciente:
    """Un cambio reciente en cualquier registro, para el tablero."""

    evento: Evento
    modelo: str  # verbose_name del modelo («concesión»)
    registro: str  # nombre del registro
    url: str | None  # ficha, si el registro sigue existiendo


def _nombre_en_foto(evento) -> str:
    """Devuelve un nombre legible del registro desde su foto (para los eliminados)."""
    for campo in ("nombre", "titular_nombre"):
        valor = getattr(evento, campo, None)
        if valor:
            return str(valor)
    return f"#{evento.pgh_obj_id}"


def eventos_recientes(modelos: list, *, cantidad: int = 10, ficha=None) -> list[EventoReciente]:
    """Devuelve los ``cantidad`` eventos más recientes de los modelos, legibles y con su ficha.

    ``ficha(modelo, pk)`` devuelve la URL de la ficha del registro (o None).
    """
    candidatos = []
    for modelo in modelos:
        evento_modelo = modelo._meta.get_field("events").related_model
        # El doble: se descartan los cambios que solo tocaron la versión o la fecha de modificación.
        for evento in evento_modelo.objects.select_related("pgh_context").order_by("-pgh_id")[: cantidad * 2]:
            candidatos.append((evento.pgh_created_at, evento.pgh_id, modelo, evento))
    candidatos.sort(key=lambda c: (c[0], c[1]), reverse=True)
    recientes = []
    for _fecha, _id, modelo, evento in candidatos:
        if len(recientes) == cantidad:
            break
        campos = campos_auditables(modelo)
        cambios: tuple[Cambio, ...] = ()
        if evento.pgh_label == "cambio":
            previo = (
                type(evento)
                .objects.filter(pgh_obj_id=evento.pgh_obj_id, pgh_id__lt=evento.pgh_id)
                .order_by("-pgh_id")
                .first()
            )
            if previo is not None:
                cambios = _cambios(campos, _foto(previo, campos), _foto(evento, campos))
            if not cambios:
                continue
        existe = modelo._base_manager.filter(pk=evento.pgh_obj_id).first()
        recientes.append(
            EventoReciente(
                evento=Evento(
                    fecha=evento.pgh_created_at,
                    accion=ACCIONES.get(evento.pgh_label, evento.pgh_label),
                    usuario=nombre_actor(_contexto(evento)),
                    cambios=cambios,
                    etiqueta=evento.pgh_label,
                ),
                modelo=str(modelo._meta.verbose_name),
                registro=str(existe) if existe is not None else _nombre_en_foto(evento),
                url=ficha(modelo, existe.pk) if existe is not None and ficha else None,
            )
        )
    return recientes
