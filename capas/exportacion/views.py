"""Vistas de exportación: la página con botones de descarga y la descarga de un formato."""

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from capas.exportacion import lectura
from capas.exportacion.servicios import (
    FORMATOS,
    FormatoNoSoportado,
    SinCapas,
    capas_a_exportar,
    exportar_capas,
    formato_por_clave,
)
from capas.filtros import capa_filtrada
from capas.registro import CapaNoEncontrada, registro
from capas.servicio.autenticacion import respuesta_error
from capas.servicio.consultas import ParametroInvalido


@require_GET
def exportar_pagina(request):
    """Muestra las capas que el usuario puede ver con un botón de descarga por formato."""
    capas = registro.todas(request.user)
    elementos = lectura.conteos(capas)
    filas = [{"capa": capa, "elementos": elementos[capa.nombre]} for capa in capas]
    return render(request, "capas/exportar.html", {"filas": filas, "formatos": FORMATOS.values()})


@require_GET
def exportar_seleccion(request):
    """Redirige a la descarga de las capas marcadas en el formato elegido (formulario sin JS)."""
    formato = request.GET.get("formato", "")
    if formato not in FORMATOS:
        raise Http404(f"Formato no soportado «{formato}».")
    capas = ",".join(request.GET.getlist("capas"))
    return redirect(f"{reverse('capas:exportar_archivo', args=[formato])}?{urlencode({'capas': capas})}")


@require_GET
def exportar_archivo(request, formato: str):
    """Entrega el archivo con las capas de ``?capas=a,b`` (todas las visibles si no se indica).

    Los ``f_*`` (filtros declarados, los mismos del visor) acotan cada capa que los declara: la tabla
    de atributos del visor exporta así lo filtrado.
    """
    # ?capas=a,b o ?capas=a&capas=b (casillas del formulario de selección).
    nombres = [n for valor in request.GET.getlist("capas") for n in valor.split(",") if n]
    try:
        elegido = formato_por_clave(formato)
        capas = [capa_filtrada(c, request.GET) for c in capas_a_exportar(nombres, usuario=request.user)]
    except (FormatoNoSoportado, CapaNoEncontrada, SinCapas) as error:
        raise Http404(str(error))
    except ParametroInvalido as error:
        return respuesta_error(400, "ParametroInvalido", str(error))
    with tempfile.TemporaryDirectory(prefix="territorio-exportar-") as carpeta:
        resultado = exportar_capas(capas, elegido, Path(carpeta))
        # El archivo abierto sigue legible al borrarse la carpeta temporal (Linux): FileResponse lo
        # envía por partes y lo cierra al terminar, sin dejar nada en disco.
        archivo = resultado.ruta.open("rb")
    return FileResponse(
        archivo, as_attachment=True, filename=resultado.ruta.name, content_type=resultado.mime
    )
