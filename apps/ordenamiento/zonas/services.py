"""Escrituras de zonas y de sus usos de suelo: validadas, con versión y auditadas con su actor."""

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.nucleo.auditoria import contexto_auditoria
from apps.nucleo.escrituras import conflicto_con, registro_actualizar, registro_crear, registro_eliminar
from apps.ordenamiento.choices import Condicion, UsoSuelo
from apps.ordenamiento.models import UsoZona, Zona


def zona_crear(*, datos: dict, actor, origen: str = "zona_crear") -> Zona:
    """Crea una zona (en la comuna configurada si no viene), validada y auditada con su actor."""
    return registro_crear(Zona, datos=datos, actor=actor, origen=origen)


def zona_actualizar(
    *, instancia: Zona, datos: dict, version: int, actor, origen: str = "zona_actualizar"
) -> Zona:
    """Actualiza una zona si nadie la cambió desde ``version`` (si no, ConflictoEdicion)."""
    return registro_actualizar(instancia, datos=datos, version=version, actor=actor, origen=origen)


def zona_eliminar(*, instancia: Zona, version: int, actor, origen: str = "zona_eliminar") -> None:
    """Elimina una zona (y sus usos) si nadie la cambió desde ``version``."""
    registro_eliminar(instancia, version=version, actor=actor, origen=origen)


def _usos_validados(usos: list[dict]) -> dict[str, dict]:
    """Devuelve los usos por su clave o lanza ValidationError (uso o condición desconocidos, repetidos)."""
    resultado: dict[str, dict] = {}
    errores = []
    for fila in usos:
        uso, condicion = fila.get("uso"), fila.get("condicion")
        if uso not in UsoSuelo.values:
            errores.append(f"«{uso}» no es un uso de suelo del catálogo.")
        elif condicion not in Condicion.values:
            errores.append(f"«{condicion}» no es una condición (permitido, condicionado o prohibido).")
        elif uso in resultado:
            errores.append(f"El uso «{UsoSuelo(uso).label}» está repetido: cada uso va una sola vez.")
        else:
            resultado[uso] = {"condicion": condicion, "observacion": (fila.get("observacion") or "").strip()}
    if errores:
        raise ValidationError(errores)
    return resultado


@transaction.atomic
def usos_zona_guardar(
    *, zona: Zona, usos: list[dict], version: int, actor, origen: str = "usos_zona_guardar"
) -> Zona:
    """Reemplaza los usos de la zona por ``usos`` ([{uso, condicion, observacion}]): todo o nada.

    La versión es la de la zona: dos personas que editan los usos a la vez no se pisan (ConflictoEdicion).
    Solo cambia lo distinto (el historial muestra qué uso cambió); un uso que no viene queda sin norma.
    """
    nuevos = _usos_validados(usos)
    actual = Zona.objects.select_for_update().filter(pk=zona.pk).first()
    if actual is None:
        raise ValidationError("La zona ya no existe: otro usuario la eliminó.", code="eliminado")
    if int(version) != actual.version:
        raise conflicto_con(actual)
    existentes = {u.uso: u for u in UsoZona.objects.filter(zona=actual)}
    with contexto_auditoria(actor=actor, origen=origen):
        UsoZona.objects.filter(zona=actual).exclude(uso__in=list(nuevos)).delete()
        for uso, datos in nuevos.items():
            fila = existentes.get(uso)
            if fila is None:
                UsoZona.objects.create(zona=actual, uso=uso, **datos)
            elif (fila.condicion, fila.observacion) != (datos["condicion"], datos["observacion"]):
                fila.condicion, fila.observacion = datos["condicion"], datos["observacion"]
                fila.save(update_fields=["condicion", "observacion"])
        # La zona cambia de versión: la ficha y la edición de sus usos ven que algo cambió.
        actual.save(update_fields=["modificado"])
    actual.refresh_from_db()
    return actual
