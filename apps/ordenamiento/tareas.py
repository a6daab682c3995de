"""Tareas de Procrastinate del ordenamiento (las descubre procrastinate.contrib.django)."""

from procrastinate.contrib.django import app

from apps.ordenamiento.trabajos import comunas_por_preparar, preparacion_encolar


@app.periodic(cron="*/10 * * * *")
@app.task(name="ordenamiento.restricciones_vigilar", queue="mantencion", queueing_lock="ordenamiento.vigilar")
def restricciones_vigilar(timestamp: int) -> None:
    """Encola la preparación de las comunas cuyas restricciones cambiaron sin aviso (p. ej. un borrado)."""
    for cut in comunas_por_preparar():
        preparacion_encolar(cut)
