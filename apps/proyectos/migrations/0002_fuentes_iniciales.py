"""Carga el catálogo nacional de fuentes de financiamiento (datos de referencia, no de demo)."""

from django.db import migrations

FUENTES = [
    ("fndr", "Fondo Nacional de Desarrollo Regional", "regional", "Gobierno Regional"),
    ("fril", "Fondo Regional de Iniciativa Local", "regional", "Gobierno Regional"),
    ("circular-33", "Circular 33 (conservación y activos no financieros)", "regional", "Gobierno Regional"),
    ("pmu", "Programa Mejoramiento Urbano y Equipamiento Comunal", "subdere", "SUBDERE"),
    ("pmb", "Programa Mejoramiento de Barrios", "subdere", "SUBDERE"),
    ("sectorial", "Inversión sectorial de un ministerio o servicio", "sectorial", ""),
    ("municipal", "Presupuesto municipal", "municipal", "Municipalidad"),
    ("privado", "Financiamiento privado", "privado", ""),
]


def cargar(apps, schema_editor):
    """Crea las fuentes que falten."""
    fuente = apps.get_model("proyectos", "FuenteFinanciamiento")
    for codigo, nombre, tipo, organismo in FUENTES:
        fuente.objects.get_or_create(
            codigo=codigo, defaults={"nombre": nombre, "tipo": tipo, "organismo": organismo}
        )


class Migration(migrations.Migration):
    dependencies = [("proyectos", "0001_initial")]
    operations = [migrations.RunPython(cargar, migrations.RunPython.noop)]
