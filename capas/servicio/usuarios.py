"""Usuarios recordados unos segundos por proceso para las lecturas de capas (teselas, Basic).

Un visor o QGIS pide decenas de teselas por segundo; cargar el usuario y sus permisos en cada una
costaba más que la tesela misma. Aquí se recuerda el objeto usuario (con su caché de permisos) por
``VIGENCIA_S``. Lo que cambia en este proceso lo olvida al instante (señales de usuario, grupos y
permisos); un cambio hecho en otro proceso se nota en a lo más ``VIGENCIA_S`` segundos. La sesión se
sigue verificando en cada petición contra la huella de la clave del usuario; si no coincide ni
releyendo el usuario de la base (clave cambiada, o huella firmada con una SECRET_KEY anterior), la
lectura es anónima y la sesión no se toca: la próxima página normal la cierra o la renueva.
"""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.models import AnonymousUser, Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.crypto import constant_time_compare

from capas.memoria import Memoria

VIGENCIA_S = 10.0


class UsuariosRecordados(Memoria):
    """Usuarios recordados por (backend, clave primaria), con vigencia corta."""

    def __init__(self, vigencia_s: float = VIGENCIA_S):
        super().__init__(vigencia_s)

    def usuario(self, ruta_backend: str, pk):
        """Devuelve el usuario ``pk`` según el backend (None si no existe o no puede ingresar)."""
        return self.obtener((ruta_backend, pk), lambda: load_backend(ruta_backend).get_user(pk))

    def conectar(self, modelo_usuario) -> None:
        """Conecta las señales que invalidan la memoria."""
        for modelo in (modelo_usuario, Group):
            post_save.connect(self.olvidar, sender=modelo, weak=False)
            post_delete.connect(self.olvidar, sender=modelo, weak=False)
        for intermedia in (
            modelo_usuario.groups.through,
            modelo_usuario.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(self.olvidar, sender=intermedia, weak=False)


recordados = UsuariosRecordados()


def _huella_valida(huella: str, usuario) -> bool:
    """Indica si la huella guardada en la sesión corresponde a la clave actual del usuario."""
    return constant_time_compare(huella, usuario.get_session_auth_hash())


def usuario_de_sesion(request):
    """Devuelve el usuario de la sesión (como ``get_user`` de Django) sin escribir en la sesión."""
    sesion = request.session
    try:
        ruta_backend = sesion[BACKEND_SESSION_KEY]
        pk = sesion[SESSION_KEY]
        huella = sesion[HASH_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if ruta_backend not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    usuario = recordados.usuario(ruta_backend, pk)
    if usuario is not None and not _huella_valida(huella, usuario):
        # Quizá lo recordado es anterior a un cambio de clave hecho en otro proceso: se relee.
        recordados.olvidar_uno((ruta_backend, pk))
        usuario = recordados.usuario(ruta_backend, pk)
    if usuario is None or not _huella_valida(huella, usuario):
        return AnonymousUser()
    return usuario
