"""Escrituras genéricas de un registro de dominio: validar, versión, auditoría y todo o nada.

Los servicios de cada app (``apps/<app>/services.py``) las usan; formularios y API llaman a esos
servicios, nunca a ``save()`` directo, así cada cambio lleva su actor y su control de versión.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from apps.comunas.selectors import comuna_configurada
from apps.nucleo.auditoria import contexto_auditoria
from apps.nucleo.concurrencia import ConflictoEdicion, mensaje_conflicto
from apps.nucleo.historial import ultimo_evento

_SIN_ESCRITURA = frozenset({"id", "pk", "version", "creado", "modificado", "es_demo"})


def _asignar(instancia, datos: dict) -> None:
    """Copia ``datos`` en la instancia; un campo que no es editable es un error del programa."""
    for campo, valor in datos.items():
        if campo in _SIN_ESCRITURA:
            raise ValueError(f"El campo {campo} no se escribe desde un servicio.")
        setattr(instancia, campo, valor)


def _guardar(instancia, *, actor, origen: str) -> None:
    """Valida y guarda dentro de la transacción en curso, con el contexto de auditoría."""
    instancia.full_clean()
    try:
        with transaction.atomic(), contexto_auditoria(actor=actor, origen=origen):
            instancia.save()
    except IntegrityError as error:
        # Las reglas de la base (triggers, CHECK) respaldan las de clean(): llegar aquí es una carrera.
        raise ValidationError(_mensaje_bd(error)) from error


def _mensaje_bd(error: IntegrityError) -> str:
    """Devuelve el mensaje de una regla de la base en español (el de los triggers ya lo está)."""
    diagnostico = getattr(getattr(error, "__cause__", None), "diag", None)
    primario = getattr(diagnostico, "message_primary", None)
    return primario or "La base de datos rechazó el cambio por una de sus reglas."


def conflicto_con(actual) -> ConflictoEdicion:
    """Devuelve el conflicto con el registro actual y quién y cuándo lo guardó."""
    conflicto = ConflictoEdicion(mensaje_conflicto(actual), target=actual)
    evento = ultimo_evento(actual)
    conflicto.usuario = evento.usuario if evento else None
    conflicto.fecha = evento.fecha if evento else actual.modificado
    return conflicto


@transaction.atomic
def registro_crear(modelo, *, datos: dict, actor, origen: str):
    """Crea un registro de ``modelo`` con ``datos`` (la comuna configurada si no viene)."""
    instancia = modelo()
    if "comuna" in {f.name for f in modelo._meta.fields} and "comuna" not in datos:
        comuna = comuna_configurada(con_geometrias=False)
        if comuna is None:
            raise ValidationError("Aún no se configura la comuna: un administrador debe cargarla primero.")
        instancia.comuna = comuna
    _asignar(instancia, datos)
    _guardar(instancia, actor=actor, origen=origen)
    return instancia


def registro_bloquear(instancia, *, version: int):
    """Devuelve la fila actual bloqueada hasta el fin de la transacción si sigue en ``version``.

    Si otro la cambió lanza ConflictoEdicion; si la eliminó, ValidationError. Exige una transacción
    abierta (los servicios la abren) para que el bloqueo dure hasta que terminen de escribir.
    """
    actual = type(instancia).objects.select_for_update().filter(pk=instancia.pk).first()
    if actual is None:
        raise ValidationError("El registro ya no existe: otro usuario lo eliminó.", code="eliminado")
    if int(version) != actual.version:
        raise conflicto_con(actual)
    return actual


@transaction.atomic
def registro_actualizar(instancia, *, datos: dict, version: int, actor, origen: str):
    """Actualiza el registro si nadie lo cambió desde ``version``; si no, lanza ConflictoEdicion."""
    actual = registro_bloquear(instancia, version=version)
    _asignar(actual, datos)
    _guardar(actual, actor=actor, origen=origen)
    return actual


@transaction.atomic
def registro_eliminar(instancia, *, version: int, actor, origen: str) -> None:
    """Elimina el registro si nadie lo cambió desde ``version`` (lo protegido explica qué lo usa)."""
    actual = type(instancia).objects.select_for_update().filter(pk=instancia.pk).first()
    if actual is None:
        return
    if int(version) != actual.version:
        raise conflicto_con(actual)
    try:
        with transaction.atomic(), contexto_auditoria(actor=actor, origen=origen):
            actual.delete()
    except ProtectedError as error:
        usados = ", ".join(f"«{u}»" for u in sorted({str(obj) for obj in error.protected_objects})[:5])
        raise ValidationError(
            f"No se puede eliminar «{actual}»: lo usan {usados}. Elimine o reasigne esos primero.",
            code="protegido",
        ) from error
    except IntegrityError as error:
        raise ValidationError(_mensaje_bd(error)) from error
