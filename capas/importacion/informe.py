"""Informe de una importación: qué se leyó, qué se reparó u omitió, y el rechazo con su detalle."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

# Elementos que se listan con fid y motivo; más allá solo se cuentan (el informe se guarda en JSONB).
MAX_DETALLES = 50
# Avance de una importación: (hechos, total); lo usan la barra tqdm de la orden y la web.
Progreso = Callable[[int, int], None]


class ImportacionRechazada(Exception):
    """La importación no se hizo (nada quedó escrito); ``mensaje`` y ``detalles`` en español.

    ``mensaje`` es el de la web (habla de los campos del formulario); ``en_orden``, si se da, el de la
    orden capas_importar (habla de sus opciones, como --srid). La línea de comandos no llega a la web.
    """

    def __init__(
        self,
        mensaje: str,
        *,
        detalles: list[str] | None = None,
        codigo: str = "rechazada",
        en_orden: str | None = None,
    ):
        super().__init__(mensaje)
        self.mensaje = mensaje
        self.mensaje_orden = en_orden or mensaje
        self.detalles = list(detalles or [])
        self.codigo = codigo

    def anteponer(self, prefijo: str) -> None:
        """Antepone ``prefijo`` a los dos textos (p. ej. la capa del archivo que se rechazó)."""
        self.mensaje = prefijo + self.mensaje
        self.mensaje_orden = prefijo + self.mensaje_orden

    def texto(self, *, para_orden: bool = False) -> str:
        """Devuelve el mensaje para la web o, con ``para_orden``, para la línea de comandos."""
        return self.mensaje_orden if para_orden else self.mensaje

    def __str__(self):
        if not self.detalles:
            return self.mensaje
        return self.mensaje + "\n" + "\n".join(f"  - {d}" for d in self.detalles)


@dataclass
class Observacion:
    """Lo ocurrido con un elemento: su fid, el motivo y, si se reparó, qué cambió."""

    fid: int
    motivo: str
    cambio: str = ""

    def texto(self) -> str:
        """Devuelve la observación en una línea legible."""
        base = f"fid {self.fid}: {self.motivo}"
        return f"{base}; {self.cambio}" if self.cambio else base


@dataclass
class Informe:
    """Resumen por elemento de una importación vectorial (se guarda en ``CapaReferencia.informe``)."""

    formato: str = ""
    capa_origen: str = ""
    srid_origen: int | None = None
    srid_declarado_en_archivo: int | None = None
    codificacion: str = ""
    leidos: int = 0
    importados: int = 0
    reparados: list[Observacion] = field(default_factory=list)
    omitidos: list[Observacion] = field(default_factory=list)
    invalidos: list[Observacion] = field(default_factory=list)
    avisos: list[str] = field(default_factory=list)
    # Campos cuyo nombre se normalizó (vacío, repetido o reservado): [{"original", "nombre"}].
    campos_renombrados: list[dict] = field(default_factory=list)

    def como_dict(self) -> dict:
        """Devuelve el informe listo para JSON, con las listas recortadas a MAX_DETALLES."""
        datos = asdict(self)
        for lista in ("reparados", "omitidos", "invalidos"):
            datos[f"n_{lista}"] = len(datos[lista])
            datos[lista] = datos[lista][:MAX_DETALLES]
        return datos


def lineas(observaciones: list[Observacion], *, maximo: int = MAX_DETALLES) -> list[str]:
    """Devuelve hasta ``maximo`` observaciones como texto, con una línea final si hay más."""
    textos = [o.texto() for o in observaciones[:maximo]]
    if len(observaciones) > maximo:
        textos.append(f"… y {len(observaciones) - maximo} más")
    return textos
