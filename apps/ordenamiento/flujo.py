"""Flujo de aprobación de las propuestas de uso de suelo: el único camino por el que cambia su estado.

borrador → en revisión (Planificador envía) → presentada al Concejo (Director presenta) → aprobada o
rechazada (Director registra la decisión con fecha de sesión y número de acuerdo). En revisión, el
Director puede devolverla a borrador con una observación. Cada paso valida el estado de origen, el
permiso del rol y la versión leída (ConflictoEdicion si otro la cambió), y deja una EtapaPropuesta
con la propuesta y su informe de superposición congelados, todo en una transacción auditada.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.nucleo.escrituras import registro_actualizar, registro_bloquear
from apps.ordenamiento.choices import EstadoPropuesta
from apps.ordenamiento.models import EtapaPropuesta, PropuestaUsoSuelo
from apps.ordenamiento.superposicion import informe_de_propuesta

ACUERDO_MAX = EtapaPropuesta._meta.get_field("numero_acuerdo").max_length


@dataclass(frozen=True)
class Transicion:
    """Un paso del flujo: de qué estado a cuál, con qué permiso y qué datos pide."""

    accion: str
    etiqueta: str  # texto del botón
    desde: str
    hacia: str
    permiso: str  # codename en PropuestaUsoSuelo.Meta.permissions
    negado: str  # qué no permite el rol, para el 403
    pide_observacion: bool = False  # obligatoria
    pide_acuerdo: bool = False  # fecha de sesión y número de acuerdo obligatorios
    estilo: str = "primary"  # clase del botón de Bootstrap

    @property
    def permiso_completo(self) -> str:
        """Devuelve el permiso con la app («ordenamiento.enviar_propuesta»)."""
        return f"ordenamiento.{self.permiso}"


E = EstadoPropuesta
TRANSICIONES = {
    t.accion: t
    for t in (
        Transicion("enviar", "Enviar a revisión", E.BORRADOR, E.EN_REVISION, "enviar_propuesta",
                   "enviar propuestas a revisión"),
        Transicion("devolver", "Devolver a borrador", E.EN_REVISION, E.BORRADOR, "devolver_propuesta",
                   "devolver propuestas a borrador", pide_observacion=True, estilo="outline-secondary"),
        Transicion("presentar", "Presentar al Concejo", E.EN_REVISION, E.PRESENTADA, "presentar_propuesta",
                   "presentar propuestas al Concejo"),
        Transicion("aprobar", "Registrar aprobación", E.PRESENTADA, E.APROBADA, "decidir_propuesta",
                   "registrar la decisión del Concejo", pide_acuerdo=True, estilo="success"),
        Transicion("rechazar", "Registrar rechazo", E.PRESENTADA, E.RECHAZADA, "decidir_propuesta",
                   "registrar la decisión del Concejo", pide_acuerdo=True, estilo="danger"),
    )
}  # fmt: skip
DECISIONES = {E.APROBADA: "aprobar", E.RECHAZADA: "rechazar"}


def acciones_posibles(propuesta: PropuestaUsoSuelo, usuario) -> list[Transicion]:
    """Devuelve los pasos que ``usuario`` puede dar ahora con la propuesta (por estado y rol)."""
    return [
        t
        for t in TRANSICIONES.values()
        if t.desde == propuesta.estado and usuario.has_perm(t.permiso_completo)
    ]


def _fecha_presentacion(propuesta: PropuestaUsoSuelo) -> date | None:
    """Devuelve el día (hora de Chile) en que se presentó al Concejo por última vez."""
    etapa = propuesta.etapas.filter(hacia=E.PRESENTADA).order_by("-fecha", "-pk").first()
    return timezone.localdate(etapa.fecha) if etapa else None


def _validar_acuerdo(propuesta, fecha_sesion, numero_acuerdo: str) -> dict:
    """Devuelve los errores de la fecha de sesión y del número de acuerdo (vacío si están bien)."""
    errores = {}
    if not fecha_sesion:
        errores["fecha_sesion"] = ["Indique la fecha de la sesión del Concejo que tomó la decisión."]
    elif not isinstance(fecha_sesion, date):
        errores["fecha_sesion"] = ["La fecha de la sesión no es una fecha válida."]
    elif fecha_sesion > timezone.localdate():
        errores["fecha_sesion"] = ["La fecha de la sesión no puede ser futura: se registra lo ya acordado."]
    else:
        presentada = _fecha_presentacion(propuesta)
        if presentada and fecha_sesion < presentada:
            errores["fecha_sesion"] = [
                f"La sesión no puede ser anterior a la presentación al Concejo ({presentada:%d-%m-%Y})."
            ]
    if not numero_acuerdo:
        errores["numero_acuerdo"] = ["Indique el número del acuerdo del Concejo (p. ej. 123/2026)."]
    elif len(numero_acuerdo) > ACUERDO_MAX:
        errores["numero_acuerdo"] = [f"El número de acuerdo admite hasta {ACUERDO_MAX} caracteres."]
    return errores


@transaction.atomic
def _transitar(
    propuesta: PropuestaUsoSuelo,
    transicion: Transicion,
    *,
    version: int,
    actor,
    observacion: str = "",
    fecha_sesion: date | None = None,
    numero_acuerdo: str = "",
) -> PropuestaUsoSuelo:
    """Da el paso ``transicion``: valida permiso, versión y estado; cambia el estado y congela la etapa."""
    if not actor.has_perm(transicion.permiso_completo):
        raise PermissionDenied(f"Su rol no permite {transicion.negado}.")
    actual = registro_bloquear(propuesta, version=version)
    if actual.estado != transicion.desde:
        raise ValidationError(
            f"La propuesta está «{actual.get_estado_display()}»: «{transicion.etiqueta}» solo se hace "
            f"con una propuesta «{E(transicion.desde).label}».",
            code="estado",
        )
    observacion = (observacion or "").strip()
    numero_acuerdo = (numero_acuerdo or "").strip()
    errores = {}
    if transicion.pide_observacion and not observacion:
        errores["observacion"] = ["Explique qué debe corregirse: la observación es obligatoria al devolver."]
    if transicion.pide_acuerdo:
        errores.update(_validar_acuerdo(actual, fecha_sesion, numero_acuerdo))
    elif fecha_sesion or numero_acuerdo:
        errores[NON_FIELD_ERRORS] = [
            "La fecha de sesión y el número de acuerdo solo van en la decisión del Concejo."
        ]
    if errores:
        raise ValidationError(errores)
    actual = registro_actualizar(
        actual,
        datos={"estado": transicion.hacia},
        version=actual.version,
        actor=actor,
        origen=f"propuesta_{transicion.accion}",
    )
    # El informe de este momento: un cambio posterior de capas o de la propuesta no lo altera.
    EtapaPropuesta.objects.create(
        comuna_id=actual.comuna_id,
        propuesta=actual,
        desde=transicion.desde,
        hacia=transicion.hacia,
        actor=actor,
        version=actual.version,
        nombre=actual.nombre,
        uso_propuesto=actual.uso_propuesto,
        justificacion=actual.justificacion,
        geom=actual.geom,
        informe=informe_de_propuesta(actual),
        fecha_sesion=fecha_sesion if transicion.pide_acuerdo else None,
        numero_acuerdo=numero_acuerdo,
        observacion=observacion,
    )
    return actual


def propuesta_enviar_a_revision(
    *, propuesta: PropuestaUsoSuelo, version: int, actor, observacion: str = ""
) -> PropuestaUsoSuelo:
    """Envía a revisión una propuesta en borrador (Planificador) y congela su informe."""
    return _transitar(
        propuesta, TRANSICIONES["enviar"], version=version, actor=actor, observacion=observacion
    )


def propuesta_devolver(
    *, propuesta: PropuestaUsoSuelo, version: int, actor, observacion: str
) -> PropuestaUsoSuelo:
    """Devuelve a borrador una propuesta en revisión, con la observación de qué corregir (Director)."""
    return _transitar(
        propuesta, TRANSICIONES["devolver"], version=version, actor=actor, observacion=observacion
    )


def propuesta_presentar(
    *, propuesta: PropuestaUsoSuelo, version: int, actor, observacion: str = ""
) -> PropuestaUsoSuelo:
    """Presenta al Concejo una propuesta revisada (Director) y congela su informe."""
    return _transitar(
        propuesta, TRANSICIONES["presentar"], version=version, actor=actor, observacion=observacion
    )


def propuesta_decidir(
    *,
    propuesta: PropuestaUsoSuelo,
    decision: str,
    fecha_sesion: date | None,
    numero_acuerdo: str,
    version: int,
    actor,
    observacion: str = "",
) -> PropuestaUsoSuelo:
    """Registra la decisión del Concejo (aprobada o rechazada) con su sesión y número de acuerdo."""
    if decision not in DECISIONES:
        raise ValidationError({"decision": ["La decisión del Concejo es «aprobada» o «rechazada»."]})
    return _transitar(
        propuesta,
        TRANSICIONES[DECISIONES[decision]],
        version=version,
        actor=actor,
        observacion=observacion,
        fecha_sesion=fecha_sesion,
        numero_acuerdo=numero_acuerdo,
    )


def propuesta_transitar(
    *, propuesta: PropuestaUsoSuelo, accion: str, version: int, actor, datos: dict | None = None
) -> PropuestaUsoSuelo:
    """Da el paso ``accion`` del flujo con ``datos`` (observación, fecha de sesión, número de acuerdo)."""
    transicion = TRANSICIONES.get(accion)
    if transicion is None:
        raise ValidationError({"accion": [f"Acción desconocida. Use una de: {', '.join(TRANSICIONES)}."]})
    datos = datos or {}
    return _transitar(
        propuesta,
        transicion,
        version=version,
        actor=actor,
        observacion=datos.get("observacion", ""),
        fecha_sesion=datos.get("fecha_sesion"),
        numero_acuerdo=datos.get("numero_acuerdo", ""),
    )
