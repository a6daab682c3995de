"""Crear, editar y eliminar registros de dominio fuera del admin, con la geometría dibujada en un mapa.

Cada app declara una ``Edicion`` (modelo, formulario, servicios y nombres de sus rutas) en su
``edicion.py`` y publica ``rutas(edicion)``. Las vistas solo validan, llaman al servicio con
``actor=request.user`` y traducen sus errores: ValidationError → errores en el formulario,
ConflictoEdicion → 409 con quién y cuándo cambió el registro, lo actual frente a lo escrito.
"""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.gis.db.models.functions import AsGeoJSON, Distance
from django.contrib.gis.gdal import SpatialReference
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from apps.comunas.selectors import comuna_configurada
from apps.nucleo.concurrencia import ConflictoEdicion
from apps.nucleo.forms import errores_del_servicio
from apps.nucleo.permisos import exigir, puede_eliminar

# Vecinos del mismo tipo que se cargan para ajustar (snapping) el dibujo: los más cercanos.
VECINOS_MAX = 300
ZOOM_MIN, ZOOM_MAX = 5, 19


@dataclass(frozen=True)
class Edicion:
    """Lo que las vistas genéricas necesitan de una entidad editable con mapa."""

    modelo: type
    formulario: type
    crear: object
    actualizar: object
    eliminar: object
    app: str  # espacio de nombres de las rutas («patrimonio»)
    prefijo: str = ""  # prefijo de los nombres de ruta («activo_»); vacío en proyectos
    ruta: str = ""  # prefijo de las rutas («activos/»)
    ficha: str = "ficha"  # con el prefijo («activo_ficha»)
    lista: str = "lista"  # sin prefijo: las listas van en plural («activos_lista»)

    def nombre(self, accion: str) -> str:
        """Devuelve el nombre de la ruta de ``accion`` («patrimonio:activo_editar»)."""
        return f"{self.app}:{self.prefijo}{accion}"


def url_ficha(edicion: Edicion, instancia) -> str:
    """Devuelve la ficha del registro."""
    return reverse(edicion.nombre(edicion.ficha), args=[instancia.pk])


def url_lista(edicion: Edicion) -> str:
    """Devuelve la lista de la entidad."""
    return reverse(f"{edicion.app}:{edicion.lista}")


def _version(valor) -> int | None:
    """Devuelve la versión enviada como entero, o None si falta o no es un número."""
    try:
        return int(valor)
    except (TypeError, ValueError):
        return None


def _enviado(request):
    """Devuelve los datos enviados por POST, o None si es un GET (formulario sin enviar)."""
    return request.POST if request.method == "POST" else None


def _datos(formulario) -> dict:
    """Devuelve el dict campo→valor que recibe el servicio (sin la versión)."""
    return {campo: formulario.cleaned_data[campo] for campo in formulario.campos_servicio()}


def _pagina(request, edicion: Edicion, formulario, instancia=None, *, titulo, conflicto=None, status=200):
    """Dibuja la página del formulario con su mapa (y el aviso de conflicto si lo hay)."""
    mapa = contexto_mapa(request, formulario, instancia)
    # En un conflicto, la geometría guardada va de referencia bajo la del usuario (para comparar).
    mapa["actual"] = conflicto["geom_actual"] if conflicto else None
    contexto = {
        "edicion": edicion,
        "formulario": formulario,
        "instancia": instancia,
        "titulo": titulo,
        "mapa": mapa,
        "campo_geo": formulario[formulario.campo_geometria],
        "url_cancelar": url_ficha(edicion, instancia) if instancia else url_lista(edicion),
        "url_eliminar": (
            reverse(edicion.nombre("eliminar"), args=[instancia.pk])
            if instancia and puede_eliminar(request.user, edicion.modelo)
            else None
        ),
        "conflicto": conflicto,
    }
    return render(request, "nucleo/formulario_mapa.html", contexto, status=status)


def _conflicto(error: ConflictoEdicion, formulario) -> dict:
    """Devuelve lo que muestra el aviso de conflicto: quién, cuándo y lo actual frente a lo escrito."""
    actual = error.target
    geom = getattr(actual, formulario.campo_geometria, None)
    return {
        "geom_actual": json.loads(geom.geojson) if geom else None,
        "usuario": error.usuario or "otro usuario",
        "fecha": error.fecha,
        "version": actual.version,
        "diferencias": formulario.comparar(actual),
    }


def leer_centro(request) -> dict | None:
    """Devuelve el centro y zoom pedidos (?centro=lon,lat&zoom=z) acotados, o None si no son válidos."""
    try:
        lon, lat = (float(v) for v in request.GET.get("centro", "").split(","))
        zoom = int(float(request.GET.get("zoom", "16")))
    except (ValueError, OverflowError):
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return {"lon": round(lon, 7), "lat": round(lat, 7), "zoom": min(max(zoom, ZOOM_MIN), ZOOM_MAX)}


def vecinos(modelo, campo: str, *, excluir=None, cerca=None) -> dict:
    """Devuelve como FeatureCollection los registros del mismo tipo más cercanos (para ajustar)."""
    consulta = modelo.objects.filter(**{f"{campo}__isnull": False})
    if excluir is not None:
        consulta = consulta.exclude(pk=excluir)
    if cerca is not None:
        consulta = consulta.annotate(distancia=Distance(campo, cerca)).order_by("distancia")
    filas = consulta.annotate(gj=AsGeoJSON(campo, precision=7)).values_list("pk", "gj")[:VECINOS_MAX]
    nombres = {o.pk: str(o) for o in modelo.objects.filter(pk__in=[pk for pk, _ in filas])}
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": json.loads(gj), "properties": {"nombre": nombres.get(pk, "")}}
            for pk, gj in filas
        ],
    }


def contexto_mapa(request, formulario, instancia) -> dict:
    """Devuelve lo que lee static/js/dibujo.js: herramientas, vecinos, centro pedido y error ubicado."""
    campo = formulario.campo_geometria
    geom = getattr(instancia, campo, None) if instancia else None
    centro = leer_centro(request)
    cerca = geom.point_on_surface if geom else None
    if cerca is None and centro:
        cerca = Point(centro["lon"], centro["lat"], srid=4326)
    comuna = comuna_configurada(con_geometrias=False)
    return {
        # Medidas en el UTM de la comuna, como las calcula el servidor (no sobre la esfera).
        "proj4": SpatialReference(comuna.srid_metrico).proj4.strip() if comuna else None,
        "campo": formulario[campo].auto_id,
        "herramientas": list(formulario.herramientas),
        "multi": formulario.fields[campo].multi,
        "vecinos": vecinos(
            formulario._meta.model, campo, excluir=getattr(instancia, "pk", None), cerca=cerca
        ),
        # Otras entidades a las que también se ajusta (p. ej. el activo y la concesión al inmueble).
        "referencias": [vecinos(modelo, nombre, cerca=cerca) for modelo, nombre in formulario.ajustar_a],
        "nombre_referencias": ", ".join(
            f"los {m._meta.verbose_name_plural}" for m, _ in formulario.ajustar_a
        ),
        "centro": centro,
        "lugar_error": formulario.lugar_error,
        "error": bool(formulario.errors.get(campo)) if formulario.is_bound else False,
    }


def crear(request, edicion: Edicion):
    """Muestra y procesa el formulario de un registro nuevo."""
    exigir(request.user, edicion.modelo, "add")
    formulario = edicion.formulario(_enviado(request), usuario=request.user)
    titulo = formulario.titulo(None)
    if request.method == "POST" and formulario.is_valid():
        try:
            instancia = edicion.crear(datos=_datos(formulario), actor=request.user)
        except ValidationError as error:
            errores_del_servicio(formulario, error)
        else:
            messages.success(request, f"Se creó «{instancia}».")
            return redirect(url_ficha(edicion, instancia))
    return _pagina(request, edicion, formulario, titulo=titulo)


def editar(request, pk, edicion: Edicion):
    """Muestra y procesa el formulario de un registro existente (con su versión)."""
    exigir(request.user, edicion.modelo, "change")
    instancia = get_object_or_404(edicion.modelo, pk=pk)
    # El título nombra lo guardado: validar el formulario copia lo escrito en la instancia.
    titulo = edicion.formulario(instance=instancia).titulo(instancia)
    formulario = edicion.formulario(_enviado(request), instance=instancia, usuario=request.user)
    if request.method == "POST" and formulario.is_valid():
        version = _version(request.POST.get("version_actual") or formulario.cleaned_data["version"])
        if version is None:
            formulario.add_error(None, "Falta la versión del registro: vuelva a abrirlo para editarlo.")
            return _pagina(request, edicion, formulario, instancia, titulo=titulo)
        try:
            instancia = edicion.actualizar(
                instancia=instancia, datos=_datos(formulario), version=version, actor=request.user
            )
        except ConflictoEdicion as error:
            conflicto = _conflicto(error, formulario)
            titulo = formulario.titulo(error.target)
            return _pagina(
                request, edicion, formulario, instancia, titulo=titulo, conflicto=conflicto, status=409
            )
        except ValidationError as error:
            errores_del_servicio(formulario, error)
        else:
            messages.success(request, f"Se guardaron los cambios de «{instancia}».")
            return redirect(url_ficha(edicion, instancia))
    return _pagina(request, edicion, formulario, instancia, titulo=titulo)


def eliminar(request, pk, edicion: Edicion):
    """Pide confirmación y elimina el registro si nadie lo cambió desde que se abrió."""
    exigir(request.user, edicion.modelo, "delete")
    instancia = get_object_or_404(edicion.modelo, pk=pk)
    contexto = {
        "edicion": edicion,
        "instancia": instancia,
        "version": instancia.version,
        "verbose_name": edicion.modelo._meta.verbose_name,
        "url_cancelar": url_ficha(edicion, instancia),
    }
    if request.method != "POST":
        return render(request, "nucleo/eliminar.html", contexto)
    version = _version(request.POST.get("version"))
    if version is None:
        contexto["error"] = "Falta la versión del registro: vuelva a abrir esta página."
        return render(request, "nucleo/eliminar.html", contexto, status=400)
    try:
        edicion.eliminar(instancia=instancia, version=version, actor=request.user)
    except ConflictoEdicion as error:
        contexto["conflicto"] = {"usuario": error.usuario or "otro usuario", "fecha": error.fecha}
        contexto["version"] = error.target.version
        return render(request, "nucleo/eliminar.html", contexto, status=409)
    except (ValidationError, ProtectedError) as error:
        mensajes = getattr(error, "messages", None) or ["Otros registros usan este: no se puede eliminar."]
        contexto["error"] = " ".join(mensajes)
        return render(request, "nucleo/eliminar.html", contexto, status=200)
    messages.success(request, f"Se eliminó «{instancia}».")
    return redirect(url_lista(edicion))


def rutas(edicion: Edicion) -> list:
    """Devuelve las rutas crear («nuevo/»), editar y eliminar de la entidad, con los nombres acordados."""
    base = edicion.ruta
    return [
        path(f"{base}nuevo/", crear, {"edicion": edicion}, name=f"{edicion.prefijo}crear"),
        path(f"{base}<int:pk>/editar/", editar, {"edicion": edicion}, name=f"{edicion.prefijo}editar"),
        path(f"{base}<int:pk>/eliminar/", eliminar, {"edicion": edicion}, name=f"{edicion.prefijo}eliminar"),
    ]
