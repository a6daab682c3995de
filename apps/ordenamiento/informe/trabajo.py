"""El PDF del informe como trabajo acotado: calcula (o recibe) el informe y compone mapa y tablas.

Como la impresión del visor (``capas.mapas.trabajo``): se escribe en la carpeta del trabajo y solo al
final se mueve a ``MEDIA_ROOT/informes/<id>/``; lo entrega ``informe.views.descargar`` solo a su
dueño o a un administrador. Un informe congelado (el de una etapa del flujo) llega en ``informe`` y
se imprime tal cual, sin recalcular.
"""

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone

from capas.trabajos.services import trabajo_crear
from capas.trabajos.tipos import TipoTrabajo, TrabajoRechazado

TIPO = TipoTrabajo(
    nombre="informe_superposicion_pdf",
    sujeto="La impresión del informe",
    titulo="Informe de superposición (PDF)",
    funcion="apps.ordenamiento.informe.trabajo.imprimir",
    plantilla="ordenamiento/informe_trabajo.html",
    contexto="apps.ordenamiento.informe.trabajo.contexto",
)
DIRECTORIO = "informes"
ARCHIVOS = {"pdf": ("informe.pdf", "application/pdf"), "png": ("mapa.png", "image/png")}


def carpeta_de(trabajo_id: int) -> Path:
    """Devuelve la carpeta (bajo MEDIA_ROOT) con el PDF y la vista previa de un informe impreso."""
    return Path(settings.MEDIA_ROOT) / DIRECTORIO / str(int(trabajo_id))


def autor_de(usuario) -> str:
    """Devuelve el nombre con que firma el informe (nombre completo o, sin él, el usuario)."""
    return usuario.get_full_name().strip() or usuario.get_username()


def impresion_encolar(
    *,
    geom: GEOSGeometry,
    comuna,
    titulo: str,
    usuario,
    uso: str | None = None,
    radio_m: float | None = None,
    informe: dict | None = None,
):
    """Encola el PDF del informe de ``geom`` (o del ``informe`` ya calculado) y devuelve el trabajo."""
    geojson = geom.geojson if geom.srid in (None, 4326) else geom.transform(4326, clone=True).geojson
    return trabajo_crear(
        tipo=TIPO.nombre,
        parametros={
            "geometria": geojson,
            "cut": comuna.cut,
            "uso": uso,
            "radio_m": radio_m,
            "titulo": titulo,
            "autor": autor_de(usuario),
            "informe": informe,
        },
        usuario=usuario,
        encolar=True,
    )


def imprimir(trabajo, progreso) -> dict:
    """Calcula el informe (si no vino congelado), compone mapa y tablas y guarda el PDF y su vista previa."""
    from apps.comunas.models import Comuna
    from apps.ordenamiento.informe import pdf
    from apps.ordenamiento.superposicion import informe_superposicion

    p = trabajo.parametros
    inicio = time.perf_counter()
    comuna = Comuna.objects.filter(cut=p["cut"]).first()
    if comuna is None:
        raise TrabajoRechazado("La comuna del informe ya no está cargada.")
    geom = GEOSGeometry(p["geometria"], srid=4326)
    informe = p.get("informe")
    if informe is None:
        progreso(0, 3, "Calculando el informe")
        informe = informe_superposicion(geom, comuna=comuna, uso=p.get("uso"), radio_m=p.get("radio_m"))
    progreso(1, 3, "Dibujando el mapa y las tablas")
    borrador = Path(trabajo.carpeta) / "informe"
    borrador.mkdir(parents=True, exist_ok=True)
    hecho = pdf.informe_pdf(
        geom=geom,
        informe=informe,
        titulo=p["titulo"],
        autor=p["autor"],
        fecha=timezone.localtime(),
        usuario=trabajo.usuario,
        pdf=borrador / ARCHIVOS["pdf"][0],
        png=borrador / ARCHIVOS["png"][0],
    )
    progreso(2, 3, "Guardando")
    destino = carpeta_de(trabajo.pk)
    destino.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(destino, ignore_errors=True)  # de un trabajo viejo con el mismo id (respaldo restaurado)
    shutil.move(borrador, destino)
    progreso(3, 3, "Listo")
    return {
        **hecho,
        "veredicto": informe.get("veredicto"),
        "area_m2": informe.get("area_m2"),
        "calculado": informe.get("calculado"),
        "bytes": (destino / ARCHIVOS["pdf"][0]).stat().st_size,
        "segundos": round(time.perf_counter() - inicio, 2),
    }


def contexto(trabajo) -> dict:
    """Devuelve lo que muestra la página del trabajo terminado: resumen y enlaces de descarga."""
    disponibles = [
        clave for clave, (nombre, _t) in ARCHIVOS.items() if (carpeta_de(trabajo.pk) / nombre).is_file()
    ]
    return {"impresion": trabajo.resultado, "descargas": disponibles}
