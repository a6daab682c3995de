"""Orden: trabajador de la cola (Procrastinate): corre el conserje y luego atiende los trabajos."""

import logging

from procrastinate.contrib.django import app

from capas.management.orden import Orden
from capas.trabajos.conserje import conserje_correr


class Command(Orden):
    """Atiende la cola de trabajos hasta recibir SIGINT o SIGTERM (lo inicia ./run serve)."""

    help = (
        "Corre el conserje (trabajos muertos, carpetas y temporales) y atiende la cola de trabajos "
        "con la concurrencia indicada; cada trabajo corre en un proceso hijo acotado."
    )

    def add_arguments(self, parser):
        parser.add_argument("--concurrencia", type=int, default=2, help="Trabajos a la vez (por omisión 2).")
        parser.add_argument(
            "--sin-esperar", action="store_true", help="Termina cuando la cola queda vacía (pruebas)."
        )

    def handle(self, *args, **opciones):
        # En el trabajador sí interesa qué trabajo empieza y termina (settings lo deja en WARNING).
        for nombre in ("procrastinate", "capas"):
            logging.getLogger(nombre).setLevel(logging.INFO)
        limpieza = conserje_correr()
        self.stdout.write(
            f"Conserje: {len(limpieza.trabajos)} trabajos muertos, {len(limpieza.carpetas)} carpetas y "
            f"{len(limpieza.temporales)} temporales."
        )
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(
                concurrency=opciones["concurrencia"],
                wait=not opciones["sin_esperar"],
                # Al detenerse espera a los trabajos en curso hasta este plazo; luego les pide parar
                # y cada uno mata a su hijo (ver capas.tareas.trabajo_correr).
                shutdown_graceful_timeout=5,
            )
