"""Filtros de capa: el dominio los declara en su ``Capa``; el motor los valida y los vuelve SQL.

Un filtro es de **opciones** (``f_<nombre>=v1,v2``: el valor debe estar entre las opciones
declaradas) o de **rango** (``f_<nombre>_min=`` / ``f_<nombre>_max=``: números). La expresión SQL
es del dominio (sobre el alias ``t`` de la fuente); el texto del usuario nunca entra al SQL: las
opciones se comparan con un parámetro ``= ANY(%s)`` y los rangos con ``>= %s`` / ``<= %s``.

Los nombres de filtro son únicos por significado en todo el registro: el visor, la impresión y la
exportación pueden mandar los mismos ``f_*`` a todas las capas y cada una aplica solo los suyos.
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from capas.servicio.consultas import ParametroInvalido

TIPOS = ("opciones", "rango")
PREFIJO = "f_"
# Tope de valores por filtro de opciones y de largo de cada número (una URL no necesita más).
MAX_VALORES = 100
MAX_LARGO_NUMERO = 30


@dataclass(frozen=True)
class Filtro:
    """Filtro declarado por el dominio: nombre del parámetro, título, tipo, expresión y opciones.

    ``opciones`` son pares (valor, etiqueta) fijos (p. ej. los choices de un campo); si dependen de
    la base (p. ej. las fuentes de financiamiento), ``opciones_de`` es una función que los entrega
    al momento de cada consulta.
    """

    nombre: str
    titulo: str
    tipo: str
    expresion: str
    opciones: tuple[tuple[str, str], ...] = ()
    opciones_de: Callable[[], Iterable[tuple]] | None = None

    def __post_init__(self):
        if self.tipo not in TIPOS:
            raise ValueError(f"Tipo de filtro desconocido: {self.tipo}")
        if not self.nombre.isidentifier() or not self.nombre.islower():
            raise ValueError(f"Nombre de filtro inválido «{self.nombre}»: minúsculas, dígitos y _.")
        if self.tipo == "rango" and (self.opciones or self.opciones_de):
            raise ValueError(f"El filtro de rango «{self.nombre}» no lleva opciones.")

    def valores(self) -> list[tuple[str, str]]:
        """Devuelve las opciones vigentes (valor, etiqueta) como texto."""
        opciones = self.opciones_de() if self.opciones_de else self.opciones
        return [(str(valor), str(etiqueta)) for valor, etiqueta in opciones]

    def descripcion(self) -> dict:
        """Devuelve el filtro como lo recibe el visor (contrato 1 de la lista ``/capas/``)."""
        return {
            "nombre": self.nombre,
            "titulo": self.titulo,
            "tipo": self.tipo,
            "opciones": [list(par) for par in self.valores()] if self.tipo == "opciones" else [],
        }


def condicion(capa, querydict) -> tuple[str, tuple]:
    """Devuelve (condición SQL, parámetros) de los ``f_*`` de ``querydict`` que declara la capa.

    Los ``f_*`` que la capa no declara se ignoran (son de otra capa). Un valor fuera de las
    opciones, un número inválido o un mínimo mayor que el máximo levantan ``ParametroInvalido``.
    """
    partes, parametros = [], []
    for filtro in capa.filtros:
        if filtro.tipo == "opciones":
            elegidos = _valores_pedidos(querydict, filtro)
            if elegidos:
                partes.append(f"({filtro.expresion})::text = ANY(%s)")
                parametros.append(elegidos)
            continue
        minimo = _numero(querydict, filtro, "min")
        maximo = _numero(querydict, filtro, "max")
        if minimo is not None and maximo is not None and minimo > maximo:
            raise ParametroInvalido(
                f"El mínimo de «{filtro.titulo}» ({minimo}) es mayor que el máximo ({maximo})."
            )
        if minimo is not None:
            partes.append(f"({filtro.expresion}) >= %s")
            parametros.append(minimo)
        if maximo is not None:
            partes.append(f"({filtro.expresion}) <= %s")
            parametros.append(maximo)
    if not partes:
        return "TRUE", ()
    return " AND ".join(partes), tuple(parametros)


def capa_filtrada(capa, querydict):
    """Devuelve la capa con los ``f_*`` que declara aplicados a su fuente (la misma capa si no hay).

    Una capa filtrada es una capa con una fuente más estrecha: toda salida que lea ``capa.fuente``
    (exportaciones, impresión) entrega lo mismo que el visor muestra con esos filtros.
    """
    donde, parametros = condicion(capa, querydict)
    if not parametros:
        return capa
    fuente = replace(
        capa.fuente,
        filtro=f"({capa.fuente.filtro}) AND ({donde})",
        parametros=(*capa.fuente.parametros, *parametros),
    )
    return replace(capa, fuente=fuente)


def _textos(parametros, clave: str) -> list[str]:
    """Devuelve los valores de ``clave`` como lista de textos, venga un QueryDict (``?x=a&x=b``) o un
    dict (p. ej. los parámetros guardados de un trabajo de impresión: texto o lista de textos)."""
    if hasattr(parametros, "getlist"):
        valores = parametros.getlist(clave)
    else:
        valor = parametros.get(clave)
        valores = valor if isinstance(valor, list | tuple) else [valor]
    return [str(v) for v in valores if v is not None]


def _valores_pedidos(querydict, filtro: Filtro) -> list[str]:
    """Devuelve los valores pedidos (``f_x=a,b`` o ``f_x=a&f_x=b``), validados contra las opciones."""
    pedidos = []
    for texto in _textos(querydict, PREFIJO + filtro.nombre):
        pedidos.extend(v.strip() for v in texto.split(",") if v.strip())
    if not pedidos:
        return []
    if len(pedidos) > MAX_VALORES:
        raise ParametroInvalido(f"Demasiados valores para «{filtro.titulo}» (máximo {MAX_VALORES}).")
    validos = {valor for valor, _etiqueta in filtro.valores()}
    invalidos = [v for v in pedidos if v not in validos]
    if invalidos:
        raise ParametroInvalido(
            f"Valor no válido para «{filtro.titulo}»: «{invalidos[0][:60]}». "
            f"Use uno de: {', '.join(sorted(validos)) or '(no hay opciones)'}."
        )
    return list(dict.fromkeys(pedidos))


def _numero(querydict, filtro: Filtro, extremo: str) -> Decimal | None:
    """Devuelve el número de ``f_<nombre>_<extremo>`` (None si no viene o viene vacío)."""
    textos = _textos(querydict, f"{PREFIJO}{filtro.nombre}_{extremo}")
    texto = textos[-1].strip() if textos else ""
    if not texto:
        return None
    nombre = "mínimo" if extremo == "min" else "máximo"
    try:
        if len(texto) > MAX_LARGO_NUMERO:
            raise InvalidOperation
        numero = Decimal(texto.replace(",", "."))
        if not math.isfinite(numero):
            raise InvalidOperation
    except InvalidOperation:
        raise ParametroInvalido(
            f"El {nombre} de «{filtro.titulo}» no es un número: «{texto[:60]}» (use dígitos, p. ej. 1500000)."
        )
    return numero
