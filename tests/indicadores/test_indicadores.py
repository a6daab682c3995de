"""UTM y UF del Banco Central: carga todo o nada y conversión de montos con la UTM que regía."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template import Context, Template

from apps.indicadores.choices import Indicador
from apps.indicadores.models import ValorIndicador
from apps.indicadores.selectors import en_utm, utm_a_clp, valor_vigente
from apps.indicadores.services import SerieInvalida, indicadores_cargar
from tests.conftest import DATOS_REALES

pytestmark = pytest.mark.django_db
UTM = DATOS_REALES / "bcch_utm_mensual.csv"
UF = DATOS_REALES / "bcch_uf_diaria.csv"


def test_carga_la_utm_real_y_convierte_con_la_del_mes(capsys):
    call_command("indicadores_cargar", "utm", str(UTM))
    salida = capsys.readouterr().out

    filas = UTM.read_text().splitlines()[1:]
    assert ValorIndicador.objects.filter(indicador=Indicador.UTM).count() == len(filas)
    assert f"{len(filas)} valores nuevos" in salida
    # La UTM de enero de 2025 rige todo enero (README de los datos: 67.429 CLP).
    assert valor_vigente(Indicador.UTM, fecha=date(2025, 1, 20)).valor == Decimal("67429")
    cantidad, utm = en_utm(150_000_000, fecha=date(2025, 1, 20))
    assert cantidad == Decimal("2224.56")  # 150.000.000 / 67.429 = 2.224,562…
    # Umbral de licitación pública L1 (100 UTM) en pesos de ese mes.
    assert utm_a_clp(100, fecha=date(2025, 1, 1))[0] == 6_742_900
    texto = Template("{% load indicadores %}{{ m|equivalente_utm:f }}").render(
        Context({"m": 150_000_000, "f": date(2025, 1, 20)})
    )
    assert texto.startswith("≈ 2.224,6 UTM") and "01-2025" in texto and "$ 67.429" in texto


def test_recargar_no_duplica_y_corrige_lo_cambiado(tmp_path):
    indicadores_cargar(ruta=UF, indicador=Indicador.UF)
    total = ValorIndicador.objects.filter(indicador=Indicador.UF).count()
    corregida = tmp_path / "uf.csv"
    corregida.write_text("fecha,valor\n2026-07-11,1.5\n2026-07-12,39999.5\n")

    resumen = indicadores_cargar(ruta=corregida, indicador=Indicador.UF)

    assert (resumen.creados, resumen.actualizados) == (1, 1)
    assert ValorIndicador.objects.filter(indicador=Indicador.UF).count() == total + 1
    assert valor_vigente(Indicador.UF, fecha=date(2026, 7, 11)).valor == Decimal("1.50")


@pytest.mark.parametrize(
    ("contenido", "motivo"),
    [
        ("dia,monto\n2025-01-01,1\n", "fecha,valor"),
        ("fecha,valor\n2025-01-01,67429\n2025-02-15,67000\n", "Línea 3: la UTM es mensual"),
        ("fecha,valor\n2025-01-01,67429\n01-02-2025,67000\n", "Línea 3: «01-02-2025» no es una fecha"),
        ("fecha,valor\n2025-01-01,67.429,5\n", "Línea 2: se esperaban 2 columnas"),
        ("fecha,valor\n2025-01-01,NaN\n", "fuera de rango"),
        ("fecha,valor\n2025-01-01,1\n2025-01-01,2\n", "repetida"),
    ],
)
def test_una_linea_mala_no_cambia_nada(tmp_path, contenido, motivo):
    archivo = tmp_path / "utm.csv"
    archivo.write_text(contenido)

    with pytest.raises(SerieInvalida, match=motivo):
        indicadores_cargar(ruta=archivo, indicador=Indicador.UTM)
    with pytest.raises(CommandError, match="No se cambió nada"):
        call_command("indicadores_cargar", "utm", str(archivo))
    assert not ValorIndicador.objects.exists()


def test_sin_utm_cargada_no_inventa_equivalencias():
    assert en_utm(1_000_000) is None
    assert Template("{% load indicadores %}{{ 5|equivalente_utm }}").render(Context()) == "—"


def test_la_ficha_muestra_los_montos_tambien_en_utm(client, comuna, planificador):
    from tests.factories import ProyectoFactory

    proyecto = ProyectoFactory(comuna=comuna, monto_solicitado=150_000_000)
    client.force_login(planificador)
    antes = client.get(f"/proyectos/{proyecto.pk}/").content.decode()
    indicadores_cargar(ruta=UTM, indicador=Indicador.UTM)
    despues = client.get(f"/proyectos/{proyecto.pk}/").content.decode()

    ultima = ValorIndicador.objects.filter(indicador=Indicador.UTM).order_by("-fecha").first()
    cantidad = (Decimal(150_000_000) / ultima.valor).quantize(Decimal("0.1"))
    esperado = f"≈ {cantidad:,.1f} UTM".replace(",", "_").replace(".", ",").replace("_", ".")
    assert "UTM (UTM de" not in antes
    assert "$ 150.000.000" in despues and esperado in despues and f"{ultima.fecha:%m-%Y}" in despues
