"""Localidades conocidas por CUT, con la fuente de cada ubicación."""

# (nombre, tipo, lon, lat, fuente)
LOCALIDADES = {
    "09117": [
        (
            "Teodoro Schmidt",
            "capital",
            -73.08928,
            -38.99460,
            "Centroide del límite urbano INE Censo 2017",
        ),
        (
            "Hualpín",
            "pueblo",
            -73.18180,
            -39.08697,
            "Centroide del límite urbano INE Censo 2017 (escrito GUALPÍN)",
        ),
        (
            "Barros Arana",
            "aldea",
            -72.98330,
            -38.91670,
            "Aproximada (antigua estación del ramal a Toltén); verificar en terreno",
        ),
    ],
}
