"""Bloqueo optimista: el segundo en guardar recibe un conflicto claro, nunca una sobrescritura."""

import pgtrigger
from concurrency.exceptions import RecordModifiedError
from django.utils.translation import gettext as _


class ConflictoEdicion(RecordModifiedError):
    """Otro usuario guardó el registro después de que se abrió para editar.

    ``target`` es el registro actual; ``usuario`` y ``fecha``, quién lo guardó y cuándo (si se sabe).
    """

    usuario: str | None = None
    fecha = None


def mensaje_conflicto(obj) -> str:
    """Devuelve el mensaje en español para un conflicto de edición sobre ``obj``."""
    return _(
        "Otro usuario modificó «%(registro)s» mientras usted lo editaba. Sus cambios no se "
        "guardaron: vuelva a abrir el registro para ver la versión actual y repita la edición."
    ) % {"registro": obj}


def conflicto(target) -> bool:
    """Lanza ConflictoEdicion (callback de django-concurrency al fallar la versión)."""
    raise ConflictoEdicion(mensaje_conflicto(target), target=target)


def version_automatica() -> pgtrigger.Trigger:
    """Devuelve el trigger que sube ``version`` en los UPDATE que no la subieron (masivos o SQL).

    Los guardados del ORM ya la suben (django-concurrency); así un update() masivo también deja
    obsoletos los formularios abiertos y nadie sobrescribe ese cambio sin aviso.
    """
    return pgtrigger.Trigger(
        name="version_automatica",
        operation=pgtrigger.Update,
        when=pgtrigger.Before,
        condition=pgtrigger.Q(new__version=pgtrigger.F("old__version")),
        func="NEW.version := OLD.version + 1; RETURN NEW;",
    )
