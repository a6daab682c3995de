"""GeoJSON del límite comunal y sus localidades (referencia de los mapas de formulario)."""

from apps.comunas.services import localidades_cargar


def test_limite_geojson_trae_comuna_y_localidades(comuna, consulta, client):
    localidades_cargar(comuna=comuna)
    client.force_login(consulta)
    datos = client.get("/comunas/limite.geojson").json()
    tipos = [(f["properties"]["tipo"], f["geometry"]["type"]) for f in datos["features"]]
    assert tipos[0] == ("comuna", "MultiPolygon")
    assert sorted(f["properties"]["nombre"] for f in datos["features"][1:]) == [
        "Barros Arana",
        "Hualpín",
        "Teodoro Schmidt",
    ]
    assert datos["features"][0]["properties"]["cut"] == "09117"


def test_limite_geojson_requiere_sesion(client, db):
    assert client.get("/comunas/limite.geojson").status_code == 302
