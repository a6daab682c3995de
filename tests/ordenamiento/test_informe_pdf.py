"""PDF del informe por la cola real: mapa con el polígono destacado y tablas con el texto del informe."""

import html
import re

import numpy as np
import pytest
from django.test import Client

from apps.ordenamiento.informe.trabajo import impresion_encolar
from capas.trabajos.models import EstadoTrabajo, Trabajo
from tests.capas.hojas_impresas import pagina_como_imagen, texto_pdf
from tests.factories.informe import escenario_informe

pytestmark = pytest.mark.django_db(transaction=True)


def _texto(contenido: bytes) -> str:
    return " ".join(texto_pdf(contenido).split())


def test_imprimir_desde_la_pagina_deja_un_pdf_con_mapa_y_tablas_solo_para_su_duenio(
    trabajador, comuna, planificador, django_user_model, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    planificador.first_name, planificador.last_name = "Ana", "Pérez"
    planificador.save()
    poligono = escenario_informe(comuna)
    cliente = Client()
    cliente.force_login(planificador)
    # Lo que manda el botón «Imprimir informe (PDF)» de la página del informe, tal cual.
    pagina = cliente.post(
        "/ordenamiento/analisis/", {"geometria": poligono.geojson, "uso": "residencial", "radio_m": "1.000"}
    ).content.decode()
    formulario = pagina.split('id="form-imprimir-informe"')[1].split("</form>")[0]
    datos = {
        k: html.unescape(v)
        for k, v in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', formulario)
    }
    assert datos["titulo"] == "Informe de superposición del polígono dibujado"
    respuesta = cliente.post("/ordenamiento/analisis/imprimir/", datos)
    assert respuesta.status_code == 303
    # Las capas del escenario ya encolaron su preparación (restricciones_preparar): se filtra por tipo.
    trabajo = Trabajo.objects.get(tipo="informe_superposicion_pdf")
    assert respuesta["Location"] == f"/capas/trabajos/{trabajo.pk}/"
    assert trabajo.parametros["uso"] == "residencial" and trabajo.parametros["informe"] is None
    assert trabajo.parametros["radio_m"] == 1000

    trabajador()
    trabajo.refresh_from_db()
    assert trabajo.estado == EstadoTrabajo.TERMINADO, trabajo.error
    assert trabajo.resultado["veredicto"] == "prohibido" and trabajo.resultado["paginas"] == 2
    assert trabajo.resultado["area_m2"] == pytest.approx(20_000, rel=1e-6)
    assert trabajo.resultado["srid"] == 5362
    assert "Polígono analizado" in trabajo.resultado["capas"] and "humedales-prueba" not in trabajo.resultado
    pagina = cliente.get(f"/capas/trabajos/{trabajo.pk}/").content.decode()
    assert f"/ordenamiento/informes/{trabajo.pk}/pdf/" in pagina and "2 páginas" in pagina

    pdf = cliente.get(f"/ordenamiento/informes/{trabajo.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert 'filename="informe-de-superposicion-del-poligono-dibujado.pdf"' in pdf["Content-Disposition"]
    contenido = b"".join(pdf.streaming_content)
    texto = _texto(contenido)
    for esperado in (
        # Hoja del mapa: leyenda con el polígono y las capas que toca.
        "Informe de superposición del polígono dibujado",
        "Polígono analizado",
        "Leyenda",
        "por Ana Pérez",
        # Tablas.
        "Superficie del polígono 20.000 m² (2,00 ha)",
        "Uso propuesto Residencial",
        "Veredicto: Prohibido",
        "ZU-1 Zona urbana central",
        "10.000 m² 1,00 ha 50,0 % Permitido",
        "ZR-2 Zona residencial ribereña",
        "Humedal (Ley 21.202) 2.500 m² 0,2500 ha 12,5 % Prohibido",
        "Riesgo de inundación 4.800 m² 0,4800 ha 24,0 % Condicionado",
        "Reserva El Peral 300 m",
        "Humedal Los Patos 0 m (lo toca)",
        "Página 2 de 2",
    ):
        assert esperado in texto, esperado
    # La hoja del mapa tiene el borde del polígono analizado (rojo #c0392b) dibujado encima.
    imagen = pagina_como_imagen(contenido).astype(float)
    rojo = np.array([0xC0, 0x39, 0x2B], dtype=float)
    assert (np.abs(imagen - rojo).max(axis=2) < 25).sum() > 300

    # Otro usuario con el mismo rol no lo descarga.
    otra = django_user_model.objects.create_user(username="otra", password="clave-de-prueba-1")
    otra.groups.set(planificador.groups.all())
    cliente.force_login(otra)
    assert cliente.get(f"/ordenamiento/informes/{trabajo.pk}/pdf/").status_code == 404
    assert cliente.get(f"/capas/trabajos/{trabajo.pk}/").status_code == 404


def test_informe_congelado_se_imprime_tal_cual(trabajador, comuna, planificador, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    poligono = escenario_informe(comuna)
    congelado = {
        "area_m2": 20_000.0,
        "area_ha": 2.0,
        "uso": "equipamiento",
        "srid_metrico": 5362,
        "radio_m": 5000.0,
        "calculado": "2026-03-05T10:15:00-03:00",
        "categorias": [],
        "zonas": [
            {
                "zona": 1,
                "codigo": "ZC-9",
                "nombre": "Zona congelada",
                "instrumento": "prc",
                "nombre_instrumento": "PRC 2015",
                "area_m2": 20_000.0,
                "porcentaje": 100.0,
                "condicion": "permitido",
            }
        ],
        "distancias": [],
        "localidades": [{"localidad": 1, "nombre": "Hualpín", "tipo": "pueblo", "area_m2": None}],
        "veredicto": "permitido",
    }
    trabajo = impresion_encolar(
        geom=poligono,
        comuna=comuna,
        titulo="Propuesta «Centro cívico»: informe al presentarla al Concejo",
        usuario=planificador,
        informe=congelado,
    )
    trabajador()
    trabajo.refresh_from_db()
    assert trabajo.estado == EstadoTrabajo.TERMINADO, trabajo.error
    from apps.ordenamiento.informe.trabajo import carpeta_de

    texto = _texto((carpeta_de(trabajo.pk) / "informe.pdf").read_bytes())
    # Lo congelado, no lo de hoy: sin el humedal ni las zonas actuales, con su fecha de cálculo.
    assert "ZC-9 Zona congelada" in texto and "ZU-1" not in texto and "Humedal (Ley" not in texto
    assert "5 de marzo de 2026, 10:15" in texto and "Veredicto: Permitido" in texto
    assert "Hualpín pueblo su ubicación cae dentro" in texto
    assert "El polígono no toca ninguna capa de restricción cargada." in texto


def test_pdf_de_una_etapa_imprime_su_informe_congelado_aunque_las_capas_cambien(
    trabajador, comuna, planificador, django_user_model, settings, tmp_path
):
    from apps.ordenamiento.services import propuesta_crear
    from capas.models import CapaReferencia
    from tests.ordenamiento.conftest import enviar

    settings.MEDIA_ROOT = tmp_path / "media"
    poligono = escenario_informe(comuna)
    propuesta = propuesta_crear(
        datos={
            "nombre": "Villa junto al humedal",
            "uso_propuesto": "residencial",
            "justificacion": "Demanda habitacional del sector.",
            "geom": poligono,
        },
        actor=planificador,
    )
    enviar(propuesta, planificador)
    etapa = propuesta.etapas.get()
    # Después del envío se borra el humedal: el informe de hoy ya no lo tiene; el congelado sí.
    CapaReferencia.objects.filter(nombre="humedales-prueba").delete()

    cliente = Client()
    cliente.force_login(planificador)
    ficha = cliente.get(f"/ordenamiento/propuestas/{propuesta.pk}/").content.decode()
    accion = f"/ordenamiento/propuestas/{propuesta.pk}/etapas/{etapa.pk}/imprimir/"
    assert f'action="{accion}"' in ficha
    assert cliente.get(accion).status_code == 405
    # Una etapa pedida con otra propuesta en la ruta no existe.
    ajena = f"/ordenamiento/propuestas/{propuesta.pk + 1}/etapas/{etapa.pk}/imprimir/"
    assert cliente.post(ajena).status_code == 404

    respuesta = cliente.post(accion)
    assert respuesta.status_code == 303
    trabajo = Trabajo.objects.get(tipo="informe_superposicion_pdf")
    assert respuesta["Location"] == f"/capas/trabajos/{trabajo.pk}/"
    assert trabajo.parametros["informe"] == etapa.informe
    trabajador()
    trabajo.refresh_from_db()
    assert trabajo.estado == EstadoTrabajo.TERMINADO, trabajo.error
    contenido = b"".join(cliente.get(f"/ordenamiento/informes/{trabajo.pk}/pdf/").streaming_content)
    texto = _texto(contenido)
    titulo = f"propuesta «Villa junto al humedal», versión {etapa.version}, al pasar a «en revisión»"
    assert titulo in texto
    assert "Humedal (Ley 21.202) 2.500 m² 0,2500 ha 12,5 % Prohibido" in texto
    assert "Veredicto: Prohibido" in texto

    # Una cuenta sin rol (no ve propuestas) no imprime.
    sin_rol = django_user_model.objects.create_user(username="sin-rol", password="clave-de-prueba-1")
    cliente.force_login(sin_rol)
    assert cliente.post(accion).status_code == 403
