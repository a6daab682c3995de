"""Orden: crea o actualiza el acceso de solo lectura de QGIS (rol + vistas) e imprime cómo conectarse."""

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError

from apps.nucleo.bd.conexiones import conexion_como, identificador
from apps.nucleo.bd.privilegios import rol_existe
from apps.nucleo.bd.qgis_acceso import RolNoApto, clave_generar, datos_conexion, rol_qgis_asegurar
from apps.nucleo.bd.qgis_vistas import ESQUEMA, vistas_qgis_crear
from capas.management.orden import Orden

SIN_PRIVILEGIO = "42501"


def _sin_privilegio(error: DatabaseError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == SIN_PRIVILEGIO


class Command(Orden):
    """Crea el rol lector de QGIS y el esquema de vistas con etiquetas (idempotente)."""

    help = (
        f"Crea o actualiza un rol de solo lectura y el esquema «{ESQUEMA}» de vistas de las capas del "
        "dominio (etiquetas en vez de códigos, sin datos de demostración salvo --con-demo) e imprime los "
        "datos de conexión para QGIS. Crear el rol exige CREATEROLE (TERRITORIO_DATABASE_URL_ADMIN)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--usuario", default="territorio_qgis", help="Rol lector (por defecto territorio_qgis)."
        )
        parser.add_argument("--clave", help="Clave dada en vez de una generada.")
        parser.add_argument(
            "--rotar-clave", action="store_true", help="Genera una clave nueva si el rol ya existe."
        )
        parser.add_argument(
            "--con-demo", action="store_true", help="Incluye las filas de demostración ([DEMO])."
        )
        parser.add_argument("--host", help="Host que verá QGIS (por defecto el de la conexión).")
        parser.add_argument(
            "--servicio", default="territorio", help="Nombre de la sección de pg_service.conf."
        )

    def handle(self, *args, **opciones):
        usuario = opciones["usuario"]
        try:
            identificador(usuario)
        except ValueError as error:
            raise CommandError(str(error)) from None
        clave = self._crear_rol(usuario, opciones)
        try:
            with conexion_como(settings.TERRITORIO_BD_MIGRACION):
                vistas = vistas_qgis_crear(con_demo=opciones["con_demo"], lectores=(usuario,))
        except DatabaseError as error:
            if _sin_privilegio(error):
                raise CommandError(
                    "Este usuario no puede crear el esquema de vistas: corra la orden con el dueño de las "
                    "tablas (TERRITORIO_DATABASE_URL_MIGRACION)."
                ) from None
            raise
        datos = datos_conexion(usuario=usuario, clave=clave, host=opciones["host"])
        self._informar(datos, vistas, opciones)

    def _crear_rol(self, usuario: str, opciones) -> str | None:
        """Crea o ajusta el rol con la conexión de administración; devuelve la clave nueva, si hay."""
        try:
            with conexion_como(settings.TERRITORIO_BD_ADMIN):
                nueva = opciones["clave"] or (
                    clave_generar() if opciones["rotar_clave"] or not rol_existe(usuario) else None
                )
                rol_qgis_asegurar(usuario=usuario, clave=nueva)
        except RolNoApto as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            if _sin_privilegio(error):
                raise CommandError(
                    f"Este usuario no puede crear ni modificar el rol «{usuario}» (hace falta CREATEROLE): "
                    "defina TERRITORIO_DATABASE_URL_ADMIN con un administrador de la base."
                ) from None
            raise
        return nueva

    def _informar(self, datos, vistas, opciones) -> None:
        """Imprime las vistas, los datos de conexión y la sección de pg_service.conf."""
        demo = "con" if opciones["con_demo"] else "sin"
        self.stdout.write(
            f"Esquema «{ESQUEMA}»: {len(vistas)} vistas de solo lectura ({demo} datos de demostración)."
        )
        for vista in vistas:
            self.stdout.write(f"  {ESQUEMA}.{vista.nombre} — {vista.titulo}")
        self.stdout.write(
            f"host: {datos.host}\npuerto: {datos.puerto}\nbase: {datos.base}\nusuario: {datos.usuario}"
        )
        if datos.clave:
            self.stdout.write(self.style.WARNING(f"clave: {datos.clave}  (anótela: no se volverá a mostrar)"))
        else:
            self.stdout.write("clave: sin cambios (use --rotar-clave para generar otra)")
        self.stdout.write("\nSección para ~/.pg_service.conf (QGIS: Nueva conexión PostGIS → Servicio):")
        self.stdout.write(datos.pg_service(opciones["servicio"]))
        if datos.host.startswith("/"):
            self.stdout.write(
                "\nEl host es un socket unix: solo sirve a QGIS en esta misma máquina. Para un QGIS remoto, "
                "vea docs/despliegue.md (listen_addresses, pg_hba.conf con scram-sha-256 y TLS)."
            )
