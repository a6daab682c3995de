"""Filas legibles (es-CL) del informe de superposición: las mismas en la página y en el PDF.

Recibe el dict del informe (recién calculado o congelado en una etapa del flujo) y devuelve textos ya
formateados; nada aquí consulta la base.
"""

from dataclasses import dataclass
from datetime import datetime

from apps.nucleo import formatos
from apps.ordenamiento.choices import Condicion, UsoSuelo
from apps.ordenamiento.superposicion import SIN_NORMA


@dataclass(frozen=True)
class Estado:
    """Condición de un uso como se muestra: texto, color de la insignia (Bootstrap) y del PDF."""

    valor: str | None
    texto: str
    clase: str
    color: str


ESTADOS = {
    Condicion.PROHIBIDO.value: Estado("prohibido", "Prohibido", "danger", "#b03a2e"),
    Condicion.CONDICIONADO.value: Estado("condicionado", "Condicionado", "warning", "#b9770e"),
    Condicion.PERMITIDO.value: Estado("permitido", "Permitido", "success", "#1e8449"),
    SIN_NORMA: Estado(SIN_NORMA, "Sin norma", "secondary", "#5a5a5a"),
}
# Una restricción que no nombra el uso no lo restringe; una zona sin fila para el uso no lo norma.
NO_RESTRINGE = Estado(None, "No lo restringe", "light", "#5a5a5a")
SIN_USO = Estado(None, "—", "light", "#5a5a5a")


def area_m2(valor) -> str:
    """Devuelve «12.345 m²» (o con un decimal bajo 100 m²)."""
    if valor is None:
        return formatos.VACIO
    return f"{formatos.numero(valor, 1 if valor < 100 else 0)} m²"


def area_ha(valor) -> str:
    """Devuelve el área en hectáreas con cuatro decimales bajo 1 ha y dos desde ahí («1,25 ha»)."""
    if valor is None:
        return formatos.VACIO
    ha = valor / 10_000
    return f"{formatos.numero(ha, 4 if ha < 1 else 2)} ha"


def porcentaje(valor) -> str:
    """Devuelve «12,5 %» (y «< 0,1 %» para lo que no es cero pero no alcanza a verse)."""
    if valor is None:
        return formatos.VACIO
    if 0 < valor < 0.05:
        return "< 0,1 %"
    return f"{formatos.numero(valor, 1)} %"


def distancia(metros) -> str:
    """Devuelve «0 m (lo toca)», «350 m» o «1,23 km»."""
    if metros is None:
        return formatos.VACIO
    if metros <= 0.005:
        return "0 m (lo toca)"
    return formatos.longitud(metros)


def calculado(iso: str | None) -> str:
    """Devuelve la fecha y hora de cálculo del informe como «dd-mm-aaaa hh:mm» (hora de Chile)."""
    if not iso:
        return formatos.VACIO
    try:
        return formatos.fecha_hora(datetime.fromisoformat(iso))
    except ValueError:
        return iso


def nombre_uso(uso: str | None) -> str:
    """Devuelve la etiqueta del uso propuesto («Residencial»), o «sin uso propuesto»."""
    if not uso:
        return "sin uso propuesto"
    return str(dict(UsoSuelo.choices).get(uso, uso))


def estado_zona(condicion: str | None, uso: str | None) -> Estado:
    """Devuelve cómo admite la zona el uso (sin fila para el uso: «Sin norma»)."""
    if not uso:
        return SIN_USO
    return ESTADOS.get(condicion or SIN_NORMA, ESTADOS[SIN_NORMA])


def estado_restriccion(condicion: str | None, uso: str | None) -> Estado:
    """Devuelve cómo afecta la categoría al uso (sin condición: no lo restringe)."""
    if not uso:
        return SIN_USO
    return ESTADOS.get(condicion, NO_RESTRINGE) if condicion else NO_RESTRINGE


def veredicto(informe: dict) -> dict:
    """Devuelve el veredicto destacado: estado, título y explicación en una frase."""
    uso = informe.get("uso")
    if not uso:
        return {
            "estado": SIN_USO,
            "titulo": "Sin uso propuesto",
            "texto": "Elija un uso propuesto para saber si las zonas y restricciones lo admiten.",
        }
    nombre = nombre_uso(uso)
    valor = informe.get("veredicto") or SIN_NORMA
    estado = ESTADOS.get(valor, ESTADOS[SIN_NORMA])
    textos = {
        "prohibido": f"El uso «{nombre}» está prohibido en al menos una parte del polígono.",
        "condicionado": f"El uso «{nombre}» está condicionado: revise las condiciones de cada zona y "
        "restricción.",
        "permitido": f"El uso «{nombre}» está permitido en las zonas que toca y ninguna restricción lo "
        "limita.",
        SIN_NORMA: f"Ninguna zona ni restricción que toca el polígono norma el uso «{nombre}».",
    }
    return {"estado": estado, "titulo": estado.texto, "texto": textos.get(valor, textos[SIN_NORMA])}


def filas(informe: dict) -> dict:
    """Devuelve las tablas del informe con sus textos formateados (zonas, categorías, cercanías…)."""
    uso = informe.get("uso")
    zonas = [
        {
            "codigo": z["codigo"],
            "nombre": z["nombre"],
            "instrumento": z.get("nombre_instrumento") or z.get("instrumento") or "",
            "area_m2": area_m2(z["area_m2"]),
            "area_ha": area_ha(z["area_m2"]),
            "porcentaje": porcentaje(z["porcentaje"]),
            "estado": estado_zona(z.get("condicion"), uso),
        }
        for z in informe.get("zonas", [])
    ]
    categorias = [
        {
            "categoria": c["categoria"],
            "etiqueta": c["etiqueta"],
            "fundamento": c.get("fundamento", ""),
            "area_m2": area_m2(c["area_m2"]),
            "area_ha": area_ha(c["area_m2"]),
            "porcentaje": porcentaje(c["porcentaje"]),
            "estado": estado_restriccion(c.get("condicion"), uso),
            "capas": [
                {
                    "capa": capa["capa"],
                    "titulo": capa.get("titulo") or capa["capa"],
                    "area_m2": area_m2(capa["area_m2"]),
                    "area_ha": area_ha(capa["area_m2"]),
                    "porcentaje": porcentaje(capa.get("porcentaje")),
                }
                for capa in c.get("capas", [])
            ],
        }
        for c in informe.get("categorias", [])
    ]
    cercanas = [
        {
            "etiqueta": d["etiqueta"],
            "capa": d.get("titulo") or d["capa"],
            "elemento": d.get("elemento") or "",
            "distancia": distancia(d["distancia_m"]),
        }
        for d in informe.get("distancias", [])
    ]
    localidades = [
        {
            "nombre": loc["nombre"],
            "tipo": loc.get("tipo") or "",
            "area": area_m2(loc["area_m2"]) if loc.get("area_m2") is not None else "su ubicación cae dentro",
        }
        for loc in informe.get("localidades", [])
    ]
    return {
        "area_m2": area_m2(informe["area_m2"]),
        "area_ha": area_ha(informe["area_m2"]),
        "uso": nombre_uso(uso),
        "radio": formatos.longitud(informe.get("radio_m")),
        "radio_campo": formatos.numero(informe.get("radio_m"), 0)
        if informe.get("radio_m") is not None
        else "",
        "srid": informe.get("srid_metrico"),
        "calculado": calculado(informe.get("calculado")),
        "zonas": zonas,
        "categorias": categorias,
        "cercanas": cercanas,
        "localidades": localidades,
        "veredicto": veredicto(informe),
    }


def capas_del_informe(informe: dict, *, cercanas: bool = True) -> list[str]:
    """Devuelve las capas que toca el polígono y (si se pide) las más cercanas de cada categoría."""
    nombres = [capa["capa"] for c in informe.get("categorias", []) for capa in c.get("capas", [])]
    if cercanas:
        nombres += [d["capa"] for d in informe.get("distancias", [])]
    return list(dict.fromkeys(nombres))
