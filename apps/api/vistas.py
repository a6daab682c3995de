"""Vistas de la API: leen con PostGIS (``lectura.py``) y escriben solo por los servicios de cada app."""

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.response import Response

from apps.api import filtros, serializadores
from apps.api.esquema import ERROR, documentar
from apps.api.geojson import CampoGeoJSON
from apps.api.lectura import GeoJSON, registro
from apps.api.paginacion import PaginacionLimite
from apps.api.permisos import PermisoDeFlujo
from apps.ordenamiento import services as ordenamiento
from apps.ordenamiento.choices import EstadoPropuesta
from apps.ordenamiento.flujo import propuesta_transitar
from apps.ordenamiento.models import PropuestaUsoSuelo
from apps.patrimonio import services as patrimonio
from apps.patrimonio.models import Activo, BienInmueble
from apps.patrimonio.selectors import concesiones_con_situacion
from apps.proyectos import services as proyectos
from apps.proyectos.models import Proyecto

ESTADO_POR_FLUJO = (
    "El estado no se cambia al editar: lo cambia el flujo de aprobación "
    "(POST /api/propuestas/<id>/transiciones/)."
)


def campos_de_lectura(serializador) -> dict:
    """Devuelve {clave de la API: expresión de la base} de los campos del serializador."""
    campos = {}
    for nombre, campo in serializador().fields.items():
        if isinstance(campo, CampoGeoJSON):
            campos[nombre] = GeoJSON(campo.source)
        elif isinstance(campo, PrimaryKeyRelatedField):
            campos[nombre] = f"{campo.source}_id"
        else:
            campos[nombre] = campo.source
    return campos


def leer_version(texto: str | None, nombre: str) -> int:
    """Devuelve la versión de ``?version=`` o ``If-Match`` («3», "3" o W/"3"), o un 400 en español."""
    limpio = (texto or "").strip().removeprefix("W/").strip('"')
    if not limpio:
        raise ValidationError(
            {"version": ["Indique la versión que elimina: ?version=N o la cabecera If-Match."]}
        )
    if not (limpio.isascii() and limpio.isdigit()) or not 0 < int(limpio) <= serializadores.BIGINT_MAX:
        raise ValidationError({"version": [f"{nombre} debe ser un número entero positivo."]})
    return int(limpio)


class RecursoVista(viewsets.GenericViewSet):
    """Lista, lee, crea, actualiza y elimina un tipo de registro (las escrituras, por su servicio)."""

    pagination_class = PaginacionLimite
    crear = actualizar = eliminar = None
    lookup_value_regex = "[^/]+"

    @classmethod
    def as_view(cls, *args, **kwargs):
        """La API responde 401/403 en JSON, no redirige a la página de ingreso."""
        return login_not_required(super().as_view(*args, **kwargs))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.serializer_class is not None:
            cls.campos_lectura = campos_de_lectura(cls.serializer_class)
            cls.serializador_edicion = serializadores.con_version_obligatoria(cls.serializer_class)
            cls.campos_api = {c.source: n for n, c in cls.serializer_class().fields.items() if c.source != n}

    def get_view_name(self):
        """Devuelve el nombre del recurso en español («Proyectos»), el de OPTIONS."""
        return str(self.serializer_class.Meta.model._meta.verbose_name_plural).capitalize()

    def get_queryset(self):
        """Devuelve los registros legibles (el rol ya se verificó en los permisos)."""
        return self.queryset.all()

    def filter_queryset(self, queryset):
        """Filtra y desempata el orden del modelo por id: las páginas no repiten ni saltan registros."""
        consulta = super().filter_queryset(queryset)
        return consulta.order_by(*consulta.query.order_by or consulta.model._meta.ordering, "pk")

    def _pk(self) -> int:
        texto = self.kwargs[self.lookup_field]
        if not (texto.isascii() and texto.isdigit()) or not 0 < int(texto) <= serializadores.BIGINT_MAX:
            raise NotFound()
        return int(texto)

    def get_object(self):
        """Devuelve la instancia pedida (para entregarla al servicio) o 404."""
        instancia = self.get_queryset().filter(pk=self._pk()).first()
        if instancia is None:
            raise NotFound()
        self.check_object_permissions(self.request, instancia)
        return instancia

    def representar(self, pk) -> dict | None:
        """Devuelve el registro como lo entrega la API (armado por PostGIS)."""
        return registro(self.get_queryset(), self.campos_lectura, pk)

    @staticmethod
    def _con_etag(respuesta: Response) -> Response:
        """Pone la versión como ETag: sirve tal cual en ``If-Match`` para eliminar."""
        respuesta["ETag"] = f'"{respuesta.data["version"]}"'
        return respuesta

    def list(self, request, *args, **kwargs):
        """Devuelve la página pedida de la lista filtrada."""
        consulta = self.filter_queryset(self.get_queryset())
        paginador = self.paginator
        return paginador.respuesta(paginador.pagina_textos(consulta, request, self.campos_lectura))

    def retrieve(self, request, *args, **kwargs):
        """Devuelve un registro."""
        datos = self.representar(self._pk())
        if datos is None:
            raise NotFound()
        return self._con_etag(Response(datos))

    def get_serializer_class(self):
        """Al editar, ``version`` es obligatoria (en PATCH también: se verifica en ``update``)."""
        if self.action in ("update", "partial_update"):
            return self.serializador_edicion
        return self.serializer_class

    def _datos(self, *, parcial: bool) -> dict:
        serializador = self.get_serializer(data=self.request.data, partial=parcial)
        serializador.is_valid(raise_exception=True)
        return dict(serializador.validated_data)

    def create(self, request, *args, **kwargs):
        """Crea el registro por el servicio de la app, con el usuario como actor."""
        datos = self._datos(parcial=False)
        datos.pop("version", None)
        instancia = type(self).crear(datos=datos, actor=request.user, origen="api")
        return self._con_etag(Response(self.representar(instancia.pk), status=status.HTTP_201_CREATED))

    def update(self, request, *args, parcial: bool = False, **kwargs):
        """Actualiza el registro si ``version`` es la actual (si no, 409 con el registro actual)."""
        instancia = self.get_object()
        datos = self._datos(parcial=parcial)
        if "version" not in datos:
            raise ValidationError({"version": ["Es obligatoria: envíe la versión que leyó del registro."]})
        version = datos.pop("version")
        type(self).actualizar(
            instancia=instancia, datos=datos, version=version, actor=request.user, origen="api"
        )
        return self._con_etag(Response(self.representar(instancia.pk)))

    def partial_update(self, request, *args, **kwargs):
        """Actualiza solo los campos enviados (``version`` obligatoria)."""
        return self.update(request, *args, parcial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        """Elimina el registro si la versión (``?version=`` o ``If-Match``) es la actual."""
        instancia = self.get_object()
        if "version" in request.query_params:
            version = leer_version(request.query_params["version"], "version")
        else:
            version = leer_version(request.headers.get("If-Match"), "If-Match")
        type(self).eliminar(instancia=instancia, version=version, actor=request.user, origen="api")
        return Response(status=status.HTTP_204_NO_CONTENT)


@documentar(
    serializadores.ProyectoSerializador,
    "un proyecto",
    "proyectos",
    "Proyectos",
)
class ProyectoVista(RecursoVista):
    """Proyectos de inversión."""

    queryset = Proyecto.objects.all()
    serializer_class = serializadores.ProyectoSerializador
    filterset_class = filtros.ProyectoFiltro
    crear = staticmethod(proyectos.proyecto_crear)
    actualizar = staticmethod(proyectos.proyecto_actualizar)
    eliminar = staticmethod(proyectos.proyecto_eliminar)


@documentar(
    serializadores.BienInmuebleSerializador,
    "un bien inmueble",
    "bienes inmuebles",
    "Inmuebles",
)
class BienInmuebleVista(RecursoVista):
    """Bienes inmuebles municipales."""

    queryset = BienInmueble.objects.all()
    serializer_class = serializadores.BienInmuebleSerializador
    filterset_class = filtros.BienInmuebleFiltro
    crear = staticmethod(patrimonio.bien_inmueble_crear)
    actualizar = staticmethod(patrimonio.bien_inmueble_actualizar)
    eliminar = staticmethod(patrimonio.bien_inmueble_eliminar)


@documentar(
    serializadores.ActivoSerializador,
    "un activo",
    "activos",
    "Activos",
)
class ActivoVista(RecursoVista):
    """Activos municipales sobre bienes inmuebles."""

    queryset = Activo.objects.all()
    serializer_class = serializadores.ActivoSerializador
    filterset_class = filtros.ActivoFiltro
    crear = staticmethod(patrimonio.activo_crear)
    actualizar = staticmethod(patrimonio.activo_actualizar)
    eliminar = staticmethod(patrimonio.activo_eliminar)


@documentar(
    serializadores.ConcesionSerializador,
    "una concesión",
    "concesiones",
    "Concesiones",
)
class ConcesionVista(RecursoVista):
    """Concesiones, arriendos y comodatos, con su situación calculada."""

    serializer_class = serializadores.ConcesionSerializador
    filterset_class = filtros.ConcesionFiltro
    crear = staticmethod(patrimonio.concesion_crear)
    actualizar = staticmethod(patrimonio.concesion_actualizar)
    eliminar = staticmethod(patrimonio.concesion_eliminar)

    def get_queryset(self):
        """Devuelve las concesiones con su situación calculada a la fecha de hoy."""
        return concesiones_con_situacion()


@documentar(
    serializadores.PropuestaSerializador,
    "una propuesta",
    "propuestas de uso de suelo",
    "Propuestas",
)
class PropuestaVista(RecursoVista):
    """Propuestas de uso de suelo: se editan en borrador; su estado cambia por ``transiciones``."""

    queryset = PropuestaUsoSuelo.objects.all()
    serializer_class = serializadores.PropuestaSerializador
    filterset_class = filtros.PropuestaFiltro
    crear = staticmethod(ordenamiento.propuesta_crear)
    actualizar = staticmethod(ordenamiento.propuesta_actualizar)
    eliminar = staticmethod(ordenamiento.propuesta_eliminar)

    def _datos(self, *, parcial: bool) -> dict:
        """Rechaza (400) un «estado» distinto del actual: lo cambia el flujo, no la edición."""
        datos = super()._datos(parcial=parcial)
        enviado = self.request.data.get("estado") if hasattr(self.request.data, "get") else None
        if enviado is not None:
            editando = self.action in ("update", "partial_update")
            actual = self.get_object().estado if editando else EstadoPropuesta.BORRADOR
            if enviado != actual:
                raise ValidationError({"estado": [ESTADO_POR_FLUJO]})
        return datos

    @extend_schema(
        summary="Da un paso del flujo de una propuesta",
        description=(
            "Envía a revisión, devuelve a borrador, presenta al Concejo o registra su decisión. Exige "
            "«version» (409 si no es la actual); el rol decide qué pasos puede dar (403). Cada paso "
            "congela el informe de superposición de ese momento."
        ),
        tags=["Propuestas"],
        request=serializadores.TransicionSerializador,
        responses={
            200: serializadores.PropuestaSerializador,
            400: OpenApiResponse(ERROR, "Datos inválidos o la propuesta no está en el estado de origen."),
            403: ERROR,
            404: ERROR,
            409: OpenApiResponse(ERROR, "Otro usuario cambió la propuesta después de leerla."),
        },
    )
    @action(detail=True, methods=["post"], url_path="transiciones", permission_classes=[PermisoDeFlujo])
    def transiciones(self, request, *args, **kwargs):
        """Da el paso pedido por el servicio del flujo, con el usuario como actor."""
        instancia = self.get_object()
        serializador = serializadores.TransicionSerializador(data=request.data)
        serializador.is_valid(raise_exception=True)
        datos = dict(serializador.validated_data)
        propuesta_transitar(
            propuesta=instancia,
            accion=datos.pop("accion"),
            version=datos.pop("version"),
            actor=request.user,
            datos=datos,
        )
        return self._con_etag(Response(self.representar(instancia.pk)))
