"""Carga de las series de la UTM y la UF desde un CSV del Banco Central («fecha,valor»): todo o nada."""

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from apps.indicadores.choices import Indicador
from apps.indicadores.models import ValorIndicador

TAMANO_MAXIMO = 5 * 1024 * 1024  # 26 años de UF diaria pesan ~200 KB
FILAS_MAXIMAS = 50_000
VALOR_MAXIMO = Decimal("10000000")  # una UTM o UF de diez millones de pesos es un error de unidades


class SerieInvalida(Exception):
    """El archivo no es una serie «fecha,valor» válida; el mensaje dice la línea y el motivo."""


@dataclass(frozen=True)
class ResumenCarga:
    """Lo que hizo una carga: cuántos valores nuevos y cambiados, y el período cubierto."""

    creados: int
    actualizados: int
    desde: date
    hasta: date


def _leer(ruta: Path, indicador: str) -> dict[date, Decimal]:
    """Lee y valida la serie completa antes de tocar la base."""
    if not ruta.is_file():
        raise SerieInvalida(f"No existe el archivo {ruta.name}.")
    if ruta.stat().st_size > TAMANO_MAXIMO:
        raise SerieInvalida(
            f"{ruta.name} pesa más de {TAMANO_MAXIMO // 1024 // 1024} MB: no es una serie diaria."
        )
    valores: dict[date, Decimal] = {}
    with ruta.open(encoding="utf-8-sig", newline="") as archivo:
        filas = csv.reader(archivo)
        encabezado = [c.strip().lower() for c in next(filas, [])]
        if encabezado != ["fecha", "valor"]:
            raise SerieInvalida("La primera línea debe ser «fecha,valor» (serie del Banco Central).")
        for numero, fila in enumerate(filas, start=2):
            if numero > FILAS_MAXIMAS:
                raise SerieInvalida(f"La serie tiene más de {FILAS_MAXIMAS} filas.")
            if not fila:
                continue
            fecha, valor = _fila(fila, numero, indicador)
            if fecha in valores:
                raise SerieInvalida(f"Línea {numero}: la fecha {fecha:%d-%m-%Y} está repetida.")
            valores[fecha] = valor
    if not valores:
        raise SerieInvalida("La serie no tiene valores.")
    return valores


def _fila(fila: list[str], numero: int, indicador: str) -> tuple[date, Decimal]:
    if len(fila) != 2:
        raise SerieInvalida(f"Línea {numero}: se esperaban 2 columnas (fecha,valor) y hay {len(fila)}.")
    try:
        fecha = date.fromisoformat(fila[0].strip())
    except ValueError:
        raise SerieInvalida(f"Línea {numero}: «{fila[0][:20]}» no es una fecha aaaa-mm-dd.") from None
    try:
        valor = Decimal(fila[1].strip())
    except InvalidOperation:
        raise SerieInvalida(
            f"Línea {numero}: «{fila[1][:20]}» no es un número (use punto decimal)."
        ) from None
    if not valor.is_finite() or not Decimal(0) < valor < VALOR_MAXIMO:
        raise SerieInvalida(f"Línea {numero}: el valor {fila[1][:20]} está fuera de rango.")
    if indicador == Indicador.UTM and fecha.day != 1:
        raise SerieInvalida(f"Línea {numero}: la UTM es mensual; la fecha debe ser el día 1 del mes.")
    return fecha, valor.quantize(Decimal("0.01"))


@transaction.atomic
def indicadores_cargar(*, ruta: Path, indicador: str) -> ResumenCarga:
    """Crea o corrige los valores de la serie; si una línea es inválida no se cambia nada."""
    if indicador not in Indicador.values:
        raise SerieInvalida(f"Indicador desconocido: {indicador}.")
    valores = _leer(Path(ruta), indicador)
    existentes = dict(ValorIndicador.objects.filter(indicador=indicador).values_list("fecha", "valor"))
    nuevos = [
        ValorIndicador(indicador=indicador, fecha=f, valor=v)
        for f, v in valores.items()
        if f not in existentes
    ]
    cambiados = [f for f, v in valores.items() if f in existentes and existentes[f] != v]
    ValorIndicador.objects.bulk_create(nuevos, batch_size=2000)
    for fecha in cambiados:
        ValorIndicador.objects.filter(indicador=indicador, fecha=fecha).update(valor=valores[fecha])
    return ResumenCarga(len(nuevos), len(cambiados), min(valores), max(valores))
