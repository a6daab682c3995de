"""Escrituras de la base territorial: cargar la comuna y sus localidades."""

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.comunas.datos import LOCALIDADES
from apps.comunas.fuentes import LimiteComunal
from apps.comunas.models import Comuna, Localidad
from apps.comunas.selectors import registros_fuera_del_limite
from apps.nucleo.auditoria import contexto_auditoria
from capas.geometria import a_multi, ampliar, validar_geometria
from capas.srid import srid_metrico_de


@transaction.atomic
def comuna_cargar(
    *, datos: LimiteComunal, tolerancia_m: float | None = None, permitir_fuera: bool = False, actor=None
) -> tuple[Comuna, bool]:
    """Crea o actualiza la comuna desde un límite oficial; devuelve (comuna, creada).

    Si el nuevo límite deja registros existentes fuera, no cambia nada y lo informa, salvo que
    ``permitir_fuera`` lo autorice (esos registros quedan como están hasta que se corrijan).
    """
    tolerancia = settings.TERRITORIO_TOLERANCIA_LIMITE_M if tolerancia_m is None else tolerancia_m
    limite = a_multi(validar_geometria(datos.limite, campo="limite"))
    metrico = srid_metrico_de(limite)
    valores = {
        "nombre": datos.nombre,
        "provincia": datos.provincia,
        "region": datos.region,
        "limite": limite,
        "limite_admisible": ampliar(limite, tolerancia, srid_trabajo=metrico),
        "tolerancia_m": tolerancia,
        "srid_metrico": metrico,
        "fuente": datos.fuente,
    }
    with contexto_auditoria(actor=actor, origen="comuna_cargar"):
        comuna = Comuna.objects.filter(cut=datos.cut).first()
        if comuna is None:
            return Comuna.objects.create(cut=datos.cut, **valores), True
        fuera = registros_fuera_del_limite(comuna=comuna, limite=valores["limite_admisible"])
        if fuera and not permitir_fuera:
            detalle = ", ".join(f"{n} {nombre}" for nombre, n in fuera.items())
            raise ValidationError(
                _("El nuevo límite dejaría fuera registros existentes (%(detalle)s); no se cambió nada.")
                % {"detalle": detalle},
                code="registros_fuera",
            )
        for campo, valor in valores.items():
            setattr(comuna, campo, valor)
        comuna.save()
        return comuna, False


@transaction.atomic
def localidades_cargar(*, comuna: Comuna, actor=None) -> int:
    """Crea las localidades conocidas de la comuna que aún no existan; devuelve cuántas creó."""
    creadas = 0
    with contexto_auditoria(actor=actor, origen="localidades_cargar"):
        for nombre, tipo, lon, lat, fuente in LOCALIDADES.get(comuna.cut, []):
            localidad = Localidad(
                comuna=comuna,
                nombre=nombre,
                tipo=tipo,
                ubicacion=Point(lon, lat, srid=settings.TERRITORIO_SRID),
                fuente=fuente,
            )
            if Localidad.objects.filter(comuna=comuna, nombre=nombre).exists():
                continue
            localidad.full_clean()
            localidad.save()
            creadas += 1
    return creadas
