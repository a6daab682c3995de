"""Orden: lista las capas registradas (declaradas por las apps e importadas)."""

from capas.exportacion.lectura import conteos
from capas.management.orden import Orden
from capas.registro import registro

COLUMNAS = ("nombre", "título", "grupo", "tipo", "origen", "elementos")


class Command(Orden):
    """Lista las capas del registro con sus elementos."""

    help = "Lista las capas registradas: nombre, título, grupo, tipo de geometría, origen y elementos."

    def handle(self, *args, **opciones):
        capas = registro.todas(todas=True)
        elementos = conteos(capas)
        filas = [
            (c.nombre, c.titulo, c.grupo, c.tipo_geometria, c.origen, str(elementos[c.nombre])) for c in capas
        ]
        anchos = [max(len(fila[i]) for fila in [COLUMNAS, *filas]) for i in range(len(COLUMNAS))]
        for fila in [COLUMNAS, *filas]:
            # Los elementos se alinean a la derecha, como toda cifra.
            celdas = [v.ljust(a) for v, a in zip(fila[:-1], anchos, strict=False)]
            self.stdout.write("  ".join([*celdas, fila[-1].rjust(anchos[-1])]).rstrip())
        self.stdout.write(f"{len(filas)} capas.")
