"""Fichas de registros: datos con etiquetas, permisos de los botones, historial y enlace al visor."""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst

from apps.indicadores.formatos import equivalente_utm
from apps.nucleo.formatos import VACIO
from apps.nucleo.historial import es_monto, historial_de, valor_legible
from apps.nucleo.permisos import exigir, puede_editar, puede_eliminar


def datos_legibles(obj, nombres: list[str]) -> list[dict]:
    """Devuelve los campos como (etiqueta, valor legible, enlace al registro vinculado si tiene ficha)."""
    filas = []
    for nombre in nombres:
        campo = obj._meta.get_field(nombre)
        valor = getattr(obj, campo.attname)
        texto = valor_legible(campo, valor)
        fila = {"etiqueta": capfirst(str(campo.verbose_name)), "valor": texto}
        if valor is not None and es_monto(campo):
            # Las reglas municipales (licitaciones, derechos) se fijan en UTM: se muestra la equivalencia.
            utm = equivalente_utm(valor)
            if utm != VACIO:
                fila["nota"] = utm
        filas.append(fila)
    return filas


def url_opcional(nombre: str | None, *args) -> str | None:
    """Devuelve la URL con ese nombre, o None si no hay nombre o esa página no existe."""
    if not nombre:
        return None
    try:
        return reverse(nombre, args=args)
    except NoReverseMatch:
        return None


def enlace_informe(usuario, tipo: str, obj, geom) -> str | None:
    """Devuelve el informe de superposición del registro si tiene polígono y el usuario puede verlo.

    ``tipo`` es el de ``apps.ordenamiento.informe.origenes`` («inmueble», «proyecto»); la propuesta
    tiene su propia página (``ordenamiento:propuesta_informe``).
    """
    if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    if not usuario.has_perm("ordenamiento.view_propuestausosuelo"):
        return None
    if tipo == "propuesta":
        return url_opcional("ordenamiento:propuesta_informe", obj.pk)
    base = url_opcional("ordenamiento:analisis")
    return f"{base}?desde={tipo}:{obj.pk}" if base else None


def enlace_visor(capas: list[str], seleccion: tuple[str, int] | None, geom=None) -> str:
    """Devuelve el permalink del visor (``/mapa/#b=…&c=…&s=capa:id``) que abre sobre el registro."""
    parametros = {"c": ",".join(capas)}
    if geom is not None:
        oeste, sur, este, norte = geom.extent
        margen = max(este - oeste, norte - sur, 0.003) * 0.5
        caja = (oeste - margen, sur - margen, este + margen, norte + margen)
        parametros["b"] = ",".join(f"{v:.5f}" for v in caja)
    if seleccion:
        parametros["s"] = f"{seleccion[0]}:{seleccion[1]}"
    return reverse("visor:mapa") + "#" + urlencode(parametros, safe=",:")


def contexto_ficha(request, obj, *, lista: str, titulo_lista: str, editar: str, eliminar: str) -> dict:
    """Devuelve lo común de toda ficha (exige ver el modelo: 403 si no)."""
    modelo = type(obj)
    exigir(request.user, modelo, "view")
    editar_permitido = puede_editar(request.user, modelo)
    eliminar_permitido = puede_eliminar(request.user, modelo)
    return {
        "obj": obj,
        "puede_editar": editar_permitido,
        "puede_eliminar": eliminar_permitido,
        "modelo": modelo._meta.verbose_name,
        "url_lista": reverse(lista),
        "titulo_lista": titulo_lista,
        "historial": historial_de(obj),
        "url_editar": url_opcional(editar, obj.pk) if editar_permitido else None,
        "url_eliminar": url_opcional(eliminar, obj.pk) if eliminar_permitido else None,
    }
