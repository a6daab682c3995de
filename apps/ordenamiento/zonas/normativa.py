"""Normas y usos de una zona leídos de atributos: cifras es-CL, texto de usos y tablas CSV/XLSX.

Una ordenanza escribe los usos en texto («Residencial; Equipamiento de comercio…; Áreas Verdes y
Espacios Públicos») y las normas con «-» cuando no hay. Aquí se traducen al catálogo de usos
(UsoSuelo) y a cifras; lo que no se entiende se rechaza con su motivo, nunca se adivina.
"""

import csv
import re
import unicodedata
import zipfile
from pathlib import Path

from apps.ordenamiento.choices import Condicion, UsoSuelo
from capas.importacion.informe import ImportacionRechazada

# Tabla de normas: tope de tamaño del archivo, de lo descomprimido (XLSX) y de filas.
MAX_BYTES_TABLA = 20 * 1024 * 1024
MAX_BYTES_XLSX_DESCOMPRIMIDO = 200 * 1024 * 1024
MAX_FILAS_TABLA = 50_000
EXTENSIONES_TABLA = (".csv", ".xlsx")
VACIOS = {"", "-", "—", "–", "s/n", "sin norma", "no aplica", "n/a"}

# Palabras (sin tildes, en minúsculas) que nombran cada uso del catálogo en el texto de una ordenanza.
# «infraestru» cubre la errata «Infraestrucura» de ordenanzas reales.
PALABRAS_USO = {
    UsoSuelo.RESIDENCIAL: ("residencial", "vivienda"),
    UsoSuelo.EQUIPAMIENTO: ("equipamiento",),
    UsoSuelo.ACTIVIDADES_PRODUCTIVAS: ("actividades productivas", "actividad productiva"),
    UsoSuelo.INFRAESTRUCTURA: ("infraestru",),
    UsoSuelo.AREA_VERDE: ("area verde", "areas verdes"),
    UsoSuelo.ESPACIO_PUBLICO: ("espacio publico", "espacios publicos"),
}
# «Todos los no mencionados como permitidos»: la condición vale para los usos que el texto no nombra.
_RE_RESTO = re.compile(r"\btodos?\s+los\s+(usos\s+)?(no\s+mencionados|dem[aá]s|restantes)")
# De más a menos permisiva: al unir varias filas de un mismo código gana la más permisiva.
_ORDEN = (Condicion.PERMITIDO, Condicion.CONDICIONADO, Condicion.PROHIBIDO)


def normalizar_texto(texto: str) -> str:
    """Devuelve el texto en minúsculas, sin tildes y con un solo espacio entre palabras."""
    sin_tildes = "".join(c for c in unicodedata.normalize("NFKD", str(texto)) if not unicodedata.combining(c))
    return " ".join(sin_tildes.lower().split())


def es_vacio(valor) -> bool:
    """Indica si el valor significa «sin dato» (nulo, vacío o «-»)."""
    return valor is None or (isinstance(valor, str) and normalizar_texto(valor) in VACIOS)


def numero(valor) -> float | None:
    """Devuelve el valor como número (acepta «1.500», «0,4», «1500 m²»); None si es vacío.

    Lanza ValueError si el texto no es una cifra.
    """
    if es_vacio(valor):
        return None
    if isinstance(valor, bool):
        raise ValueError(valor)
    if isinstance(valor, int | float):
        return float(valor)
    texto = re.sub(r"\s*(m2|m²|mts?|hab/ha|m)\.?$", "", str(valor).strip(), flags=re.IGNORECASE)
    texto = texto.replace(" ", "")
    if "," in texto:
        texto = texto.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", texto):
        texto = texto.replace(".", "")  # punto de miles: «1.500»
    return float(texto)


def usos_nombrados(texto) -> set[str]:
    """Devuelve los usos del catálogo que el texto nombra."""
    if es_vacio(texto):
        return set()
    normal = normalizar_texto(texto)
    return {uso for uso, palabras in PALABRAS_USO.items() if any(p in normal for p in palabras)}


def usos_de_textos(*, permitido=None, condicionado=None, prohibido=None) -> dict[str, str]:
    """Devuelve {uso: condición} a partir de los textos de usos permitidos, condicionados y prohibidos.

    Un uso nombrado en dos listas es ambiguo (ValueError). «Todos los no mencionados…» en una lista
    le da esa condición a los usos que ninguna lista nombra; un uso que nadie nombra queda sin norma.
    """
    textos = {
        Condicion.PERMITIDO: permitido,
        Condicion.CONDICIONADO: condicionado,
        Condicion.PROHIBIDO: prohibido,
    }
    resultado: dict[str, str] = {}
    resto = None
    for condicion, texto in textos.items():
        for uso in usos_nombrados(texto):
            if uso in resultado:
                raise ValueError(
                    f"«{UsoSuelo(uso).label}» aparece como {Condicion(resultado[uso]).label.lower()} y como "
                    f"{condicion.label.lower()}"
                )
            resultado[uso] = condicion.value
        if not es_vacio(texto) and _RE_RESTO.search(normalizar_texto(texto)):
            resto = condicion.value
    if resto:
        for uso in UsoSuelo.values:
            resultado.setdefault(uso, resto)
    return resultado


def usos_unir(varios: list[dict[str, str]]) -> dict[str, str]:
    """Une los usos de varias filas de un mismo código: por uso, la condición más permisiva."""
    resultado: dict[str, str] = {}
    for usos in varios:
        for uso, condicion in usos.items():
            previa = resultado.get(uso)
            if previa is None or _ORDEN.index(condicion) < _ORDEN.index(previa):
                resultado[uso] = condicion
    return resultado


def tabla_leer(ruta, *, nombre: str | None = None) -> tuple[list[str], list[dict]]:
    """Devuelve (columnas, filas) de una tabla CSV o XLSX (la primera hoja), con la primera fila de títulos.

    Los títulos se recortan; los valores de las celdas quedan como vienen (número o texto).
    """
    ruta = Path(ruta)
    origen = nombre or ruta.name
    extension = Path(origen).suffix.lower() or ruta.suffix.lower()
    if extension not in EXTENSIONES_TABLA:
        raise ImportacionRechazada(
            f"La tabla de normas «{origen}» debe ser .csv o .xlsx.", codigo="tabla_formato"
        )
    if not ruta.is_file():
        raise ImportacionRechazada(f"No existe la tabla de normas {ruta}.", codigo="tabla_no_existe")
    if ruta.stat().st_size > MAX_BYTES_TABLA:
        raise ImportacionRechazada(
            f"La tabla de normas «{origen}» pesa más de {MAX_BYTES_TABLA // 2**20} MiB.",
            codigo="tabla_tamano",
        )
    filas = _filas_xlsx(ruta, origen) if extension == ".xlsx" else _filas_csv(ruta)
    if not filas or not any(filas[0]):
        raise ImportacionRechazada(f"La tabla de normas «{origen}» está vacía.", codigo="tabla_vacia")
    columnas = [str(c).strip() if c is not None else "" for c in filas[0]]
    datos = [
        dict(zip(columnas, fila, strict=False))
        for fila in filas[1:]
        if any(v not in (None, "") for v in fila)
    ]
    if len(datos) > MAX_FILAS_TABLA:
        raise ImportacionRechazada(
            f"La tabla de normas tiene {len(datos)} filas; el máximo es {MAX_FILAS_TABLA}.",
            codigo="tabla_tamano",
        )
    return [c for c in columnas if c], datos


def _filas_csv(ruta: Path) -> list[list]:
    """Devuelve las filas de un CSV UTF-8 (o Latin-1) separado por coma o punto y coma."""
    crudo = ruta.read_bytes()
    try:
        texto = crudo.decode("utf-8-sig")
    except UnicodeDecodeError:
        texto = crudo.decode("cp1252", errors="replace")
    separador = ";" if texto.split("\n", 1)[0].count(";") > texto.split("\n", 1)[0].count(",") else ","
    return [fila for fila in csv.reader(texto.splitlines(), delimiter=separador)][: MAX_FILAS_TABLA + 2]


def _filas_xlsx(ruta: Path, origen: str) -> list[list]:
    """Devuelve las filas de la primera hoja de un XLSX, sin fórmulas (sus valores guardados)."""
    import openpyxl  # solo quien importa una tabla XLSX lo necesita

    try:
        with zipfile.ZipFile(ruta) as archivo:
            descomprimido = sum(i.file_size for i in archivo.infolist())
    except (zipfile.BadZipFile, OSError):
        raise ImportacionRechazada(f"«{origen}» no es un XLSX válido.", codigo="tabla_formato")
    if descomprimido > MAX_BYTES_XLSX_DESCOMPRIMIDO:
        raise ImportacionRechazada(f"«{origen}» descomprimido es demasiado grande.", codigo="tabla_tamano")
    try:
        libro = openpyxl.load_workbook(ruta, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 (openpyxl lanza tipos variados ante un archivo dañado)
        raise ImportacionRechazada(f"«{origen}» no es un XLSX legible: {error}", codigo="tabla_formato")
    try:
        hoja = libro.worksheets[0]
        filas = []
        for fila in hoja.iter_rows(values_only=True):
            filas.append(list(fila))
            if len(filas) > MAX_FILAS_TABLA + 1:
                break
        return filas
    finally:
        libro.close()
