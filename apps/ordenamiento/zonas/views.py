"""Páginas de la zonificación: lista y exportación, ficha con normas y usos, edición de usos e importación."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from apps.comunas.selectors import comuna_configurada
from apps.nucleo import formatos
from apps.nucleo.concurrencia import ConflictoEdicion
from apps.nucleo.fichas import contexto_ficha, datos_legibles, enlace_visor
from apps.nucleo.listas import AreaM2, Columna, Tabla, vistas
from apps.nucleo.minimapa import minimapa
from apps.nucleo.permisos import exigir, puede_editar
from apps.ordenamiento.choices import Condicion, UsoSuelo
from apps.ordenamiento.models import NORMAS, Zona
from apps.ordenamiento.zonas.filtros import ZonaFiltro
from apps.ordenamiento.zonas.forms import (
    ImportarZonasFormulario,
    MapeoFormulario,
    UsosFormset,
    usos_iniciales,
)
from apps.ordenamiento.zonas.services import usos_zona_guardar
from apps.ordenamiento.zonas.trabajo import ESPERA_MAPEO, TIPO, campos_de
from capas.importacion.informe import ImportacionRechazada
from capas.trabajos.ejecucion import trabajo_fallar
from capas.trabajos.models import EstadoTrabajo, Trabajo
from capas.trabajos.respuestas import ir_al_trabajo
from capas.trabajos.services import trabajo_crear

CAPA = "zonificacion"
INSIGNIAS = {Condicion.PERMITIDO: "text-bg-success", Condicion.CONDICIONADO: "text-bg-warning"}


def _consulta():
    """Devuelve las zonas con su superficie (m², PostGIS) y cuántos usos permiten."""
    return Zona.objects.annotate(
        area_m2=AreaM2("geom"), n_permitidos=Count("usos", filter=Q(usos__condicion=Condicion.PERMITIDO))
    )


TABLA = Tabla(
    modelo=Zona,
    titulo="Zonificación",
    plural="zona,zonas",
    columnas=(
        Columna("Código", lambda z: z.codigo, orden="codigo", enlace=True),
        Columna("Nombre", lambda z: z.nombre, orden="nombre"),
        Columna("Instrumento", lambda z: z.get_instrumento_display(), orden="instrumento", secundaria=True),
        Columna("Nombre del instrumento", lambda z: z.nombre_instrumento, orden="nombre_instrumento"),
        Columna(
            "Densidad máx. (hab/ha)", lambda z: z.densidad_max_hab_ha, "numero", orden="densidad_max_hab_ha"
        ),
        Columna("Altura máx. (m)", lambda z: z.altura_max_m, "numero", orden="altura_max_m", secundaria=True),
        Columna("Usos permitidos", lambda z: z.n_permitidos, "numero", orden="n_permitidos", secundaria=True),
        Columna("Superficie", lambda z: z.area_m2, "ha", orden="area_m2"),
    ),
    filtro=ZonaFiltro,
    consulta=_consulta,
    ficha="ordenamiento:zona_ficha",
    exportar="ordenamiento:zonas_exportar",
    archivo="zonificacion",
    crear="ordenamiento:zona_crear",
)
zonas_lista, zonas_exportar = vistas(TABLA)


def _usos_de(zona) -> list[dict]:
    """Devuelve una fila por uso del catálogo con su condición en la zona (o «Sin norma»)."""
    guardados = {u.uso: u for u in zona.usos.all()}
    filas = []
    for uso in UsoSuelo:
        fila = guardados.get(uso.value)
        filas.append(
            {
                "uso": uso.label,
                "condicion": fila.get_condicion_display() if fila else "Sin norma",
                "clase": INSIGNIAS.get(fila.condicion, "text-bg-danger") if fila else "text-bg-light border",
                "observacion": fila.observacion if fila else "",
            }
        )
    return filas


@require_GET
def zona_ficha(request, pk):
    """Muestra una zona con sus normas, la condición de cada uso, su polígono y su historial."""
    zona = get_object_or_404(_consulta(), pk=pk)
    contexto = contexto_ficha(
        request,
        zona,
        lista="ordenamiento:zonas_lista",
        titulo_lista="Zonificación",
        editar="ordenamiento:zona_editar",
        eliminar="ordenamiento:zona_eliminar",
    )
    datos = datos_legibles(
        zona, ["instrumento", "nombre_instrumento", "codigo", *(c for c, _n, _u in NORMAS)]
    )
    datos.append({"etiqueta": "Superficie medida (PostGIS)", "valor": formatos.superficie(zona.area_m2)})
    elementos = [{"geom": zona.geom, "titulo": str(zona), "principal": True}]
    contexto.update(
        {
            "datos": datos,
            "usos": _usos_de(zona),
            "url_usos": reverse("ordenamiento:zona_usos", args=[zona.pk])
            if puede_editar(request.user, Zona)
            else None,
            "mapa": minimapa(request.user, elementos=elementos, capas=(CAPA,)),
            "url_visor": enlace_visor([CAPA], (CAPA, zona.pk), zona.geom),
        }
    )
    return render(request, "ordenamiento/zonas/ficha.html", contexto)


@require_http_methods(["GET", "POST"])
def zona_usos(request, pk):
    """Edita la condición de cada uso de suelo en la zona (todo o nada, con la versión de la zona)."""
    exigir(request.user, Zona, "change")
    zona = get_object_or_404(Zona, pk=pk)
    enviado = request.POST if request.method == "POST" else None
    formset = UsosFormset(enviado, initial=usos_iniciales(zona), prefix="usos")
    contexto = {"zona": zona, "formset": formset, "version": zona.version, "errores": [], "conflicto": None}
    if enviado is None or not formset.is_valid():
        return render(
            request, "ordenamiento/zonas/usos.html", contexto, status=200 if enviado is None else 400
        )
    try:
        version = int(request.POST.get("version", ""))
        usos_zona_guardar(zona=zona, usos=formset.usos(), version=version, actor=request.user)
    except ValueError:
        contexto["errores"] = ["Falta la versión de la zona: vuelva a abrir esta página."]
        return render(request, "ordenamiento/zonas/usos.html", contexto, status=400)
    except ConflictoEdicion as error:
        contexto["conflicto"] = {"usuario": error.usuario or "otro usuario", "fecha": error.fecha}
        contexto["version"] = error.target.version
        return render(request, "ordenamiento/zonas/usos.html", contexto, status=409)
    except ValidationError as error:
        contexto["errores"] = error.messages
        return render(request, "ordenamiento/zonas/usos.html", contexto, status=400)
    messages.success(request, f"Se guardaron los usos de la zona «{zona}».")
    return redirect("ordenamiento:zona_ficha", pk=zona.pk)


def _guardar_subidas(archivo, tabla):
    """Devuelve la función que guarda las subidas en la carpeta del trabajo (nombres del sistema)."""

    def guardar(carpeta: Path) -> dict:
        rutas = {}
        for clave, subida in (("ruta", archivo), ("tabla", tabla)):
            if subida is None:
                continue
            ruta = carpeta / f"{'zonas' if clave == 'ruta' else 'tabla'}{Path(subida.name).suffix.lower()}"
            with ruta.open("xb") as destino:
                for trozo in subida.chunks():
                    destino.write(trozo)
            rutas[clave] = str(ruta)
        return rutas

    return guardar


@require_http_methods(["GET", "POST"])
def zonas_importar(request):
    """Paso 1: recibe el archivo (y la tabla) y crea el trabajo, que espera el mapeo de campos."""
    exigir(request.user, Zona, "add")
    formulario = ImportarZonasFormulario(request.POST or None, request.FILES or None)
    comuna = comuna_configurada(con_geometrias=False)
    if comuna is None and request.method == "POST":
        formulario.add_error(None, "Aún no se configura la comuna: un administrador debe cargarla primero.")
    if request.method == "GET" or not formulario.is_valid():
        status = 200 if request.method == "GET" else 400
        return render(request, "ordenamiento/zonas/importar.html", {"formulario": formulario}, status=status)
    datos = formulario.cleaned_data
    parametros = {
        "comuna_id": comuna.pk,
        "instrumento": datos["instrumento"],
        "nombre_instrumento": datos["nombre_instrumento"],
        "archivo_origen": Path(datos["archivo"].name).name,
        "tabla_origen": Path(datos["tabla"].name).name if datos["tabla"] else "",
        "capa": datos["capa"],
        "srid": datos["srid"],
        "mapeo": None,
    }
    from capas.tareas import trabajo_correr

    with transaction.atomic():
        trabajo = trabajo_crear(
            tipo=TIPO.nombre,
            parametros=parametros,
            usuario=request.user,
            preparar=_guardar_subidas(datos["archivo"], datos["tabla"]),
            encolar=False,
        )
        # Ejecución de vencimiento: mantiene vivo el trabajo mientras se elige el mapeo (ver trabajo.py).
        espera = {"seconds": int(ESPERA_MAPEO.total_seconds())}
        trabajo.cola_id = trabajo_correr.configure(schedule_in=espera).defer(trabajo_id=trabajo.pk)
        trabajo.save(update_fields=["cola_id"])
    respuesta = redirect("ordenamiento:zonas_importar_mapeo", pk=trabajo.pk)
    respuesta.status_code = 303
    return respuesta


def _trabajo_por_mapear(request, pk) -> Trabajo:
    """Devuelve el trabajo de importación de zonas del usuario que espera su mapeo (si no, 404)."""
    trabajo = Trabajo.objects.filter(pk=pk, tipo=TIPO.nombre, usuario=request.user).first()
    if trabajo is None:
        raise Http404
    return trabajo


@require_http_methods(["GET", "POST"])
def zonas_importar_mapeo(request, pk):
    """Paso 2: muestra los campos del archivo para mapearlos y encola la importación."""
    exigir(request.user, Zona, "add")
    trabajo = _trabajo_por_mapear(request, pk)
    if trabajo.estado != EstadoTrabajo.PENDIENTE or trabajo.parametros.get("mapeo"):
        return redirect("capas:trabajos:detalle", pk=trabajo.pk)
    p = trabajo.parametros
    try:
        leidos = campos_de(
            ruta=p["ruta"],
            archivo_origen=p["archivo_origen"],
            capa=p.get("capa", ""),
            tabla=p.get("tabla", ""),
            tabla_origen=p.get("tabla_origen", ""),
        )
    except ImportacionRechazada as rechazo:
        trabajo_fallar(trabajo.pk, rechazo.mensaje, detalles=rechazo.detalles, motivo="rechazo")
        return redirect("capas:trabajos:detalle", pk=trabajo.pk)
    nombres = [c["nombre"] for c in leidos["campos"]]
    formulario = MapeoFormulario(request.POST or None, campos=nombres, columnas=leidos["columnas"])
    contexto = {"trabajo": trabajo, "formulario": formulario, "leidos": leidos}
    if request.method == "GET" or not formulario.is_valid():
        status = 200 if request.method == "GET" else 400
        return render(request, "ordenamiento/zonas/importar_mapeo.html", contexto, status=status)
    from dataclasses import asdict

    from capas.tareas import trabajo_correr

    opciones = {k: formulario.cleaned_data[k] for k in ("unir_por_codigo", "reemplazar", "reparar")}
    with transaction.atomic():
        actualizados = Trabajo.objects.filter(pk=trabajo.pk, estado=EstadoTrabajo.PENDIENTE).update(
            parametros={**p, **opciones, "mapeo": asdict(formulario.mapeo())},
            cola_id=trabajo_correr.defer(trabajo_id=trabajo.pk),
        )
        if not actualizados:
            transaction.set_rollback(True)
    return ir_al_trabajo(trabajo)
