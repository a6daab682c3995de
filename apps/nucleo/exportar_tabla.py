"""Exportación de una lista (``listas.Tabla``) a CSV y XLSX con las mismas columnas que la pantalla.

CSV (decisión): UTF-8 con BOM y separador «;», que Excel en es-CL abre en columnas sin asistente.
Los números van **crudos, sin separador de miles** (``150000000``): se leen de vuelta sin ambigüedad
con cualquier programa; los decimales llevan coma (``1,25``), como los espera Excel con configuración
regional de Chile. Las fechas van dd-mm-aaaa. En XLSX los números son números (formato de miles
``#,##0`` que Excel muestra con punto en es-CL) y las fechas son fechas (``dd-mm-yyyy``).
"""

import csv
import io
import re
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATO_XLSX = {"clp": "#,##0", "numero": "#,##0", "ha": "#,##0.00", "fecha": "dd-mm-yyyy"}
ANCHO_MAXIMO = 60
# Un texto que empieza así es una fórmula para Excel/LibreOffice (inyección de fórmulas, CWE-1236).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Caracteres de control que XLSX no admite (openpyxl los rechaza) y que no se ven en un CSV.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def texto_seguro(texto: str) -> str:
    """Devuelve el texto sin caracteres de control y, si Excel lo leería como fórmula, con «'» delante."""
    texto = _CONTROL.sub("", texto)
    return "'" + texto if texto.startswith(_FORMULA) else texto


def valor_crudo(columna, obj):
    """Devuelve el valor de la celda para un archivo: número, fecha o texto (None si no hay)."""
    valor = columna.valor(obj)
    if valor in (None, ""):
        return None
    if columna.formato == "ha":
        return round(float(valor) / 10000, 4)
    if columna.formato in ("clp", "numero"):
        return valor
    if columna.formato == "fecha":
        if isinstance(valor, datetime):
            return timezone.localtime(valor).date() if timezone.is_aware(valor) else valor.date()
        return valor
    if columna.formato == "rut":
        from apps.nucleo.formatos import rut

        return rut(valor)
    return texto_seguro(str(valor))


def _texto_csv(valor) -> str:
    """Devuelve la celda del CSV: números crudos con coma decimal, fechas dd-mm-aaaa."""
    if valor is None:
        return ""
    if isinstance(valor, float):
        return f"{valor:.4f}".rstrip("0").rstrip(".").replace(".", ",")
    if isinstance(valor, date):
        return valor.strftime("%d-%m-%Y")
    return str(valor)


def _nombre(tabla, extension: str) -> str:
    """Devuelve el nombre del archivo con la fecha de hoy («proyectos-2026-12-01.csv»)."""
    return f"{tabla.archivo}-{timezone.localdate().isoformat()}.{extension}"


def responder_csv(tabla, consulta) -> HttpResponse:
    """Responde la consulta como CSV es-CL (BOM, «;»)."""
    salida = io.StringIO()
    escritor = csv.writer(salida, delimiter=";", lineterminator="\r\n")
    escritor.writerow([texto_seguro(str(c.titulo)) for c in tabla.columnas])
    for obj in consulta.iterator(chunk_size=500):
        escritor.writerow([_texto_csv(valor_crudo(c, obj)) for c in tabla.columnas])
    respuesta = HttpResponse(("\ufeff" + salida.getvalue()).encode("utf-8"), content_type=CSV)
    respuesta["Content-Disposition"] = f'attachment; filename="{_nombre(tabla, "csv")}"'
    return respuesta


def responder_xlsx(tabla, consulta) -> HttpResponse:
    """Responde la consulta como libro XLSX con números y fechas de verdad."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    libro = Workbook()
    hoja = libro.active
    hoja.title = str(tabla.titulo)[:31]
    hoja.append([str(c.titulo) for c in tabla.columnas])
    for celda in hoja[1]:
        celda.font = Font(bold=True)
    anchos = [len(str(c.titulo)) for c in tabla.columnas]
    for obj in consulta.iterator(chunk_size=500):
        fila = [valor_crudo(c, obj) for c in tabla.columnas]
        hoja.append(fila)
        for i, valor in enumerate(fila):
            anchos[i] = max(anchos[i], len(_texto_csv(valor)) + 2)
    for i, columna in enumerate(tabla.columnas, start=1):
        letra = hoja.cell(row=1, column=i).column_letter
        hoja.column_dimensions[letra].width = min(anchos[i - 1] + 2, ANCHO_MAXIMO)
        formato = FORMATO_XLSX.get(columna.formato)
        if formato:
            for (celda,) in hoja.iter_rows(min_row=2, min_col=i, max_col=i):
                celda.number_format = formato
    hoja.freeze_panes = "A2"
    salida = io.BytesIO()
    libro.save(salida)
    respuesta = HttpResponse(salida.getvalue(), content_type=XLSX)
    respuesta["Content-Disposition"] = f'attachment; filename="{_nombre(tabla, "xlsx")}"'
    return respuesta
