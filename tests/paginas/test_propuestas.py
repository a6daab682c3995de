"""Lista y ficha de propuestas de uso de suelo: superficie total en ha (PostGIS) y estado por etiqueta."""

import csv
import io

from apps.ordenamiento.services import propuesta_actualizar
from tests.factories import CENTRO, cuadrado


def test_lista_suma_hectareas_y_filtra_por_uso(client, planificador, propuestas):
    client.force_login(planificador)
    respuesta = client.get("/ordenamiento/propuestas/")
    html = respuesta.content.decode()
    assert "2 propuestas" in html
    # 0,002° × 0,002° ≈ 3,85 ha y 0,001° × 0,001° ≈ 0,96 ha a 39° S.
    total = float(respuesta.context["totales"][0].valor.removesuffix(" ha").replace(",", "."))
    assert 4.7 < total < 4.9
    html = client.get("/ordenamiento/propuestas/", {"uso_propuesto": "residencial"}).content.decode()
    assert "1 propuesta<" in html and "Parque costero" not in html
    assert "Borrador" in html  # el estado por su etiqueta
    archivo = client.get(
        "/ordenamiento/propuestas/exportar/", {"formato": "csv", "uso_propuesto": "residencial"}
    )
    (fila,) = csv.DictReader(io.StringIO(archivo.content.decode("utf-8-sig")), delimiter=";")
    assert 3.8 < float(fila["Superficie"].replace(",", ".")) < 3.9


def test_ficha_historial_muestra_uso_por_etiqueta_y_geometria_modificada(client, planificador, propuestas):
    propuesta = propuestas[0]
    propuesta_actualizar(
        instancia=propuesta,
        datos={"uso_propuesto": "equipamiento", "geom": cuadrado(CENTRO[0], CENTRO[1], 0.0015)},
        version=propuesta.version,
        actor=planificador,
    )
    client.force_login(planificador)
    html = client.get(f"/ordenamiento/propuestas/{propuesta.pk}/").content.decode()
    assert 'Residencial</span> → <span class="despues">Equipamiento' in html
    assert (
        '<span class="campo">Polígono</span>:\n          <span class="despues">geometría modificada' in html
    )
    assert "s=propuestas-uso-suelo:" in html
