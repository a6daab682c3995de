"""Pedido de importación de zonas y su mapeo de campos (viajan como JSON en el trabajo)."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Mapeo:
    """Qué campo del archivo (o columna de la tabla de normas) da cada dato de la zona; vacío = no viene."""

    codigo: str
    nombre: str = ""
    densidad: str = ""
    altura: str = ""
    constructibilidad: str = ""
    ocupacion: str = ""
    superficie_predial: str = ""
    antejardin: str = ""
    uso_permitido: str = ""
    uso_condicionado: str = ""
    uso_prohibido: str = ""
    # Columna del código en la tabla de normas (por omisión, la misma que en el archivo).
    codigo_tabla: str = ""

    def asignados(self) -> dict[str, str]:
        """Devuelve {dato: campo} de los datos mapeados (sin los códigos)."""
        return {k: v for k, v in asdict(self).items() if v and k not in ("codigo", "codigo_tabla")}


@dataclass(frozen=True)
class PedidoZonas:
    """Todo lo que pide una importación de zonas (viaja como JSON en los parámetros del trabajo)."""

    ruta: str
    comuna_id: int
    instrumento: str
    nombre_instrumento: str
    mapeo: Mapeo
    archivo_origen: str = ""
    tabla: str = ""
    tabla_origen: str = ""
    reemplazar: bool = False
    unir_por_codigo: bool = False
    srid: int | None = None
    capa: str = ""
    reparar: bool = False

    def como_dict(self) -> dict:
        """Devuelve el pedido como dict JSON."""
        return asdict(self)

    @classmethod
    def desde_dict(cls, datos: dict) -> "PedidoZonas":
        """Devuelve el pedido guardado con ``como_dict``."""
        return cls(**{**datos, "mapeo": Mapeo(**datos["mapeo"])})
