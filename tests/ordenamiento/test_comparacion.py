"""Comparación de versiones: diferencia de geometría en PostGIS (áreas calculadas a mano) y del informe."""

import pytest

from apps.ordenamiento import flujo
from apps.ordenamiento.comparacion import diferencia_geometria, diferencias_informe
from apps.ordenamiento.services import propuesta_actualizar
from tests.ordenamiento.conftest import enviar, rectangulo_utm


def _devolver(propuesta, director):
    return flujo.propuesta_devolver(
        propuesta=propuesta, version=propuesta.version, actor=director, observacion="Correr 50 m al este."
    )


def test_diferencia_de_cuadrados_corridos_50_m(comuna):
    # Dos cuadrados de 100 m; el segundo corrido 50 m al este: 50 × 100 agregado, quitado y común.
    diferencia = diferencia_geometria(
        rectangulo_utm(0, 0, 100, 100), rectangulo_utm(50, 0, 100, 100), srid_metrico=comuna.srid_metrico
    )
    assert diferencia.area_antes_m2 == pytest.approx(10_000, rel=1e-6)
    assert diferencia.area_despues_m2 == pytest.approx(10_000, rel=1e-6)
    assert diferencia.area_agregada_m2 == pytest.approx(5_000, rel=1e-6)
    assert diferencia.area_quitada_m2 == pytest.approx(5_000, rel=1e-6)
    assert diferencia.area_comun_m2 == pytest.approx(5_000, rel=1e-6)
    assert diferencia.agregado.srid == 4326
    # Lo agregado está al este del común y lo quitado al oeste.
    assert diferencia.quitado.centroid.x < diferencia.comun.centroid.x < diferencia.agregado.centroid.x


def test_sin_cambio_no_hay_agregado_ni_quitado(comuna):
    cuadrado = rectangulo_utm(0, 0, 100, 100)
    diferencia = diferencia_geometria(cuadrado, cuadrado, srid_metrico=comuna.srid_metrico)
    assert diferencia.agregado is None and diferencia.quitado is None
    assert diferencia.area_comun_m2 == pytest.approx(10_000, rel=1e-6)


def test_diferencias_del_informe_por_categoria_y_zona():
    antes = {
        "area_m2": 10_000.0,
        "veredicto": "condicionado",
        "categorias": [
            {
                "categoria": "humedal",
                "etiqueta": "Humedal (Ley 21.202)",
                "area_m2": 2_000.0,
                "condicion": "prohibido",
            },
            {
                "categoria": "inundacion",
                "etiqueta": "Riesgo de inundación",
                "area_m2": 500.0,
                "condicion": None,
            },
        ],
        "zonas": [
            {
                "zona": 3,
                "codigo": "ZU-1",
                "nombre": "Residencial",
                "area_m2": 10_000.0,
                "condicion": "permitido",
            }
        ],
    }
    despues = {
        "area_m2": 12_000.0,
        "veredicto": "prohibido",
        "categorias": [
            {
                "categoria": "humedal",
                "etiqueta": "Humedal (Ley 21.202)",
                "area_m2": 3_500.0,
                "condicion": "prohibido",
            },
            {"categoria": "tsunami", "etiqueta": "Tsunami", "area_m2": 100.0, "condicion": "condicionado"},
        ],
        "zonas": [
            {
                "zona": 3,
                "codigo": "ZU-1",
                "nombre": "Residencial",
                "area_m2": 12_000.0,
                "condicion": "prohibido",
            }
        ],
    }
    filas = [
        (f.grupo, f.nombre, f.antes_m2, f.despues_m2, f.diferencia_m2, f.condicion_antes, f.condicion_despues)
        for f in diferencias_informe(antes, despues)
    ]
    assert filas == [
        ("Propuesta", "Superficie y veredicto", 10_000.0, 12_000.0, 2_000.0, "Condicionado", "Prohibido"),
        ("Categoría", "Humedal (Ley 21.202)", 2_000.0, 3_500.0, 1_500.0, "Prohibido", "Prohibido"),
        ("Categoría", "Riesgo de inundación", 500.0, None, -500.0, "—", "—"),
        ("Categoría", "Tsunami", None, 100.0, 100.0, "—", "Condicionado"),
        ("Zona", "ZU-1 Residencial", 10_000.0, 12_000.0, 2_000.0, "Permitido", "Prohibido"),
    ]
    textos = [f.diferencia_texto for f in diferencias_informe(antes, despues)]
    assert textos == ["+2.000 m²", "+1.500 m²", "−500 m²", "+100 m²", "+2.000 m²"]


def test_pagina_compara_etapa_con_la_propuesta_corregida(client, propuesta, planificador, director):
    devuelta = _devolver(enviar(propuesta, planificador), director)
    propuesta_actualizar(
        instancia=devuelta,
        datos={"geom": rectangulo_utm(50, 0, 100, 100)},
        version=devuelta.version,
        actor=planificador,
    )
    primera = propuesta.etapas.order_by("pk").first()
    client.force_login(director)
    respuesta = client.get(
        f"/ordenamiento/propuestas/{propuesta.pk}/comparar/", {"a": primera.pk, "b": "actual"}
    )
    assert respuesta.status_code == 200
    diferencia = respuesta.context["diferencia"]
    assert (
        diferencia.area_agregada_m2,
        diferencia.area_quitada_m2,
        diferencia.area_comun_m2,
    ) == pytest.approx((5_000, 5_000, 5_000), rel=1e-6)
    html = respuesta.content.decode()
    # Desde media hectárea también en ha; el área va al centésimo de m² (sin ruido de coma flotante).
    assert '<td class="cifra" id="area-agregada">5.000 m² (0,50 ha)</td>' in html
    assert '<td class="cifra" id="area-quitada">5.000 m² (0,50 ha)</td>' in html
    assert '<td class="cifra" id="area-comun">5.000 m² (0,50 ha)</td>' in html
    assert "EPSG:5362" in html and "Agregado</li>" in html
    elementos = respuesta.context["mapa"]["configuracion"]["elementos"]["features"]
    assert [e["properties"]["titulo"] for e in elementos] == ["Común", "Quitado", "Agregado"]
    assert elementos[2]["properties"]["estilo"]["fillColor"] == "#28a745"
    assert f'<option value="{primera.pk}" selected>Etapa 1: Borrador → En revisión' in html
    assert '<option value="actual" selected>Ahora (Borrador, versión 4)</option>' in html


def test_pagina_compara_dos_etapas_con_sus_informes_congelados(
    client, propuesta, planificador, director, monkeypatch
):
    enviada = enviar(propuesta, planificador)
    devuelta = _devolver(enviada, director)
    corregida = propuesta_actualizar(
        instancia=devuelta,
        datos={"geom": rectangulo_utm(0, 0, 200, 100)},
        version=devuelta.version,
        actor=planificador,
    )
    # Entre la primera etapa y la reenviada aparece un humedal en las capas.
    original = flujo.informe_de_propuesta
    humedal = {
        "categoria": "humedal",
        "etiqueta": "Humedal (Ley 21.202)",
        "area_m2": 800.0,
        "condicion": "prohibido",
    }
    monkeypatch.setattr(flujo, "informe_de_propuesta", lambda p: {**original(p), "categorias": [humedal]})
    enviar(corregida, planificador)
    primera, _devuelta, reenviada = propuesta.etapas.order_by("pk")
    client.force_login(planificador)
    respuesta = client.get(
        f"/ordenamiento/propuestas/{propuesta.pk}/comparar/", {"a": primera.pk, "b": reenviada.pk}
    )
    assert respuesta.status_code == 200
    assert respuesta.context["diferencia"].area_agregada_m2 == pytest.approx(10_000, rel=1e-6)
    assert respuesta.context["diferencia"].area_quitada_m2 == pytest.approx(0, abs=1e-6)
    filas = {(f.grupo, f.nombre): f for f in respuesta.context["filas"]}
    total = filas[("Propuesta", "Superficie y veredicto")]
    assert (total.antes_m2, total.despues_m2) == pytest.approx((10_000, 20_000), rel=1e-6)
    fila = filas[("Categoría", "Humedal (Ley 21.202)")]
    assert (fila.antes_m2, fila.despues_m2, fila.condicion_antes, fila.condicion_despues) == (
        None,
        800.0,
        "—",
        "Prohibido",
    )
    assert "+800 m²" in respuesta.content.decode()


def test_etapa_ajena_o_invalida_404(client, propuesta, planificador, comuna):
    otra = enviar(
        flujo.PropuestaUsoSuelo.objects.create(
            comuna=comuna, nombre="Otra", uso_propuesto="residencial", justificacion="x", geom=propuesta.geom
        ),
        planificador,
    )
    client.force_login(planificador)
    url = f"/ordenamiento/propuestas/{propuesta.pk}/comparar/"
    assert client.get(url, {"a": otra.etapas.get().pk}).status_code == 404
    assert client.get(url, {"a": "1; DROP TABLE"}).status_code == 404
    assert client.get(url, {"a": "9" * 40}).status_code == 404
    # Sin etapas: la propuesta de ahora frente a sí misma, sin error.
    assert client.get(url).context["diferencia"].area_comun_m2 == pytest.approx(10_000, rel=1e-6)
