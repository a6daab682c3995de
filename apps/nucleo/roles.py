"""Roles de Territorio como grupos de Django con permisos (Administrador, Director, Planificador,
Consulta)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

ADMINISTRADOR = "Administrador"
DIRECTOR = "Director"
PLANIFICADOR = "Planificador"
CONSULTA = "Consulta"
ROLES = (ADMINISTRADOR, DIRECTOR, PLANIFICADOR, CONSULTA)
# Roles que entran a la administración de datos (/admin/): is_staff se deriva de aquí, nunca se marca
# a mano. Consulta lee en las páginas del sitio; el admin es para quien edita datos de referencia.
ROLES_CON_ADMIN = (ADMINISTRADOR, PLANIFICADOR)

# Apps cuyos registros administra la SECPLAC (incluye sus tablas de historial).
APPS_DOMINIO = ("comunas", "proyectos", "patrimonio", "ordenamiento", "capas")
# Historial completo: eventos de pghistory, su vista en español (nucleo.Historial) y cuentas.
APPS_HISTORIAL = ("pghistory", "nucleo")
# Registros que el Planificador puede crear, editar y borrar; el resto solo lo ve.
EDITABLES_PLANIFICADOR = {
    "comunas": ("localidad",),
    "proyectos": ("proyecto",),
    "patrimonio": ("bieninmueble", "activo", "concesion"),
    "ordenamiento": ("propuestausosuelo", "zona", "usozona"),
    "capas": ("capareferencia", "caparaster", "elementoreferencia"),
}
# Pasos del flujo de las propuestas (PropuestaUsoSuelo.Meta.permissions) por rol: el Planificador
# envía a revisión; el Director (SECPLAC) devuelve, presenta al Concejo y registra su decisión.
PERMISOS_FLUJO = {
    PLANIFICADOR: ("enviar_propuesta",),
    DIRECTOR: ("devolver_propuesta", "presentar_propuesta", "decidir_propuesta"),
}
_FLUJO = {codigo for codigos in PERMISOS_FLUJO.values() for codigo in codigos}


def _permisos_de_ver(apps: tuple[str, ...]):
    """Devuelve los permisos de ver de las apps: el dominio (con las tablas de eventos de cada
    registro) o el historial completo (también el de cuentas de usuario)."""
    return Permission.objects.filter(content_type__app_label__in=apps, codename__startswith="view_")


def _permisos_de_edicion():
    """Devuelve los permisos de crear, cambiar y borrar los registros del Planificador."""
    filtro = Q(pk__in=[])
    for app, modelos in EDITABLES_PLANIFICADOR.items():
        filtro |= Q(content_type__app_label=app, content_type__model__in=modelos)
    return (
        Permission.objects.filter(filtro).exclude(codename__startswith="view_").exclude(codename__in=_FLUJO)
    )


def _permisos_de_flujo(rol: str):
    """Devuelve los permisos de los pasos del flujo de propuestas que da ``rol``."""
    return Permission.objects.filter(
        content_type__app_label="ordenamiento", codename__in=PERMISOS_FLUJO.get(rol, ())
    )


@transaction.atomic
def roles_sincronizar() -> dict[str, int]:
    """Crea o ajusta los grupos de cada rol con sus permisos; devuelve cuántos tiene cada uno."""
    lectura = list(_permisos_de_ver(APPS_DOMINIO))
    historial = list(_permisos_de_ver(APPS_HISTORIAL))
    edicion = list(_permisos_de_edicion())
    todos = list(
        Permission.objects.filter(
            Q(content_type__app_label__in=APPS_DOMINIO)
            | Q(content_type__app_label__in=("auth", *APPS_HISTORIAL))
        )
    )
    permisos = {
        ADMINISTRADOR: todos,
        # El Director lee como Consulta y mueve las propuestas revisadas hacia el Concejo.
        DIRECTOR: lectura + list(_permisos_de_flujo(DIRECTOR)),
        PLANIFICADOR: lectura + historial + edicion + list(_permisos_de_flujo(PLANIFICADOR)),
        CONSULTA: lectura,
    }
    resumen = {}
    for rol, lista in permisos.items():
        grupo, _creado = Group.objects.get_or_create(name=rol)
        grupo.permissions.set(lista)
        resumen[rol] = len(lista)
    _staff_derivar()
    return resumen


def _staff_derivar() -> None:
    """Ajusta is_staff de las cuentas con rol según ROLES_CON_ADMIN (corrige cuentas de antes)."""
    cuentas = get_user_model().objects
    cuentas.filter(groups__name__in=ROLES_CON_ADMIN, is_staff=False).update(is_staff=True)
    sin_admin = cuentas.filter(groups__name__in=ROLES, is_staff=True, is_superuser=False)
    sin_admin.exclude(groups__name__in=ROLES_CON_ADMIN).update(is_staff=False)


def rol_de(usuario) -> str | None:
    """Devuelve el rol del usuario (el primero de sus grupos que es un rol) o None."""
    nombres = {g.name for g in usuario.groups.all()}
    return next((rol for rol in ROLES if rol in nombres), None)


@transaction.atomic
def usuario_asignar_rol(*, usuario, rol: str) -> None:
    """Asigna un único rol al usuario; el acceso al admin (is_staff) se deriva del rol."""
    if rol not in ROLES:
        raise ValueError(f"Rol desconocido: {rol}. Use uno de: {', '.join(ROLES)}.")
    usuario.groups.set([Group.objects.get(name=rol)])
    usuario.is_staff = rol in ROLES_CON_ADMIN
    usuario.save(update_fields=["is_staff"])
