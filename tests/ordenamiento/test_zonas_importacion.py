"""Importación de la zonificación: el PRC real de Las Condes y rechazos todo o nada con su lugar."""

import dataclasses

import pytest

from apps.ordenamiento.models import UsoZona, Zona
from apps.ordenamiento.zonas.importacion import Mapeo, PedidoZonas, zonas_importar
from capas.importacion.informe import ImportacionRechazada
from tests.factories import CENTRO
from tests.ordenamiento.conftest import ZONAS_LAS_CONDES, anillo, geojson_zonas, pedido_las_condes

LON, LAT = CENTRO
MOÑO = [[LON, LAT], [LON + 0.002, LAT + 0.002], [LON + 0.002, LAT], [LON, LAT + 0.002], [LON, LAT]]


def test_prc_real_de_las_condes_con_su_tabla_de_normas(las_condes):
    resumen = zonas_importar(pedido_las_condes(las_condes))
    # 423 polígonos con 66 códigos; la tabla (197 filas) trae 59 de ellos.
    assert (resumen["zonas"], resumen["elementos"], resumen["creadas"]) == (66, 423, 66)
    assert Zona.objects.filter(comuna=las_condes).count() == 66
    assert resumen["avisos"] == [
        "7 zonas sin fila en la tabla de normas (quedan sin esas normas): UC2-EAm4, UEe1-EAa+cm, UEe1-EAb4, "
        "UEe2-Ee3, UV-Ee1, UV-Ee3, UV1-EAb1"
    ]
    # UV-EAb1 tiene tres filas: (predial 4000, 160 hab/ha, 1,6, 0,36, 17,5 m, 10 m), (1000, 68, 0,6,
    # 0,4, 10,5, 5) y (2500, 68, 0,6, 0,2, 10,5, 10): topes máximos y mínimos menores.
    zona = Zona.objects.get(codigo="UV-EAb1")
    assert zona.nombre.startswith("UV/EAb1 Zona de Uso de Suelo de Vivienda/ Edificación Aislada Baja Nº1")
    assert (
        zona.densidad_max_hab_ha,
        zona.constructibilidad,
        zona.ocupacion_suelo,
        zona.altura_max_m,
        zona.superficie_predial_minima_m2,
        zona.antejardin_m,
    ) == (160, 1.6, 0.4, 17.5, 1000, 5)
    # «Residencial; Equipamiento de comercio; Áreas Verdes y Espacios Públicos» y el resto prohibido.
    assert dict(zona.usos.values_list("uso", "condicion")) == {
        "residencial": "permitido",
        "equipamiento": "permitido",
        "area_verde": "permitido",
        "espacio_publico": "permitido",
        "productivo": "prohibido",
        "infraestructura": "prohibido",
    }
    # AV-AV son 139 polígonos unidos en una zona.
    assert Zona.objects.get(codigo="AV-AV").geom.num_geom <= 139
    sin_tabla = Zona.objects.get(codigo="UV1-EAb1")
    assert (sin_tabla.nombre, sin_tabla.densidad_max_hab_ha, sin_tabla.usos.count()) == ("UV1-EAb1", None, 0)


def test_reimportar_exige_reemplazar_y_sincroniza_por_codigo(las_condes, tmp_path):
    zonas_importar(pedido_las_condes(las_condes))
    ids = dict(Zona.objects.values_list("codigo", "pk"))
    with pytest.raises(
        ImportacionRechazada, match="Ya hay 66 zonas de Plan Regulador Comunal «PRC Las Condes»"
    ):
        zonas_importar(pedido_las_condes(las_condes))
    # Solo dos códigos en el archivo nuevo: se actualizan (mismo id) y las otras 64 se eliminan.
    import json

    datos = json.loads(ZONAS_LAS_CONDES.read_text())
    datos["features"] = [f for f in datos["features"] if f["properties"]["cod"] in ("UV-EAb1", "UVO-EAm4")]
    ruta = tmp_path / "dos.geojson"
    ruta.write_text(json.dumps(datos))
    resumen = zonas_importar(pedido_las_condes(las_condes, ruta=str(ruta), reemplazar=True))
    assert (resumen["zonas"], resumen["actualizadas"], resumen["eliminadas"], resumen["creadas"]) == (
        2,
        2,
        64,
        0,
    )
    assert dict(Zona.objects.values_list("codigo", "pk")) == {c: ids[c] for c in ("UV-EAb1", "UVO-EAm4")}
    # UVO-EAm4: 816 hab/ha, constructibilidad máx 1,8, altura máx 31,5 m, predial 1500 m², antejardín 7 m.
    zona = Zona.objects.get(codigo="UVO-EAm4")
    assert (zona.densidad_max_hab_ha, zona.constructibilidad, zona.altura_max_m) == (816, 1.8, 31.5)
    assert (zona.superficie_predial_minima_m2, zona.antejardin_m, zona.version) == (1500, 7, 2)
    assert UsoZona.objects.count() == 12


def _pedido(comuna, ruta, **extra) -> PedidoZonas:
    datos = {
        "ruta": ruta,
        "comuna_id": comuna.pk,
        "instrumento": "prc",
        "nombre_instrumento": "PRC Teodoro Schmidt 2015",
        "mapeo": Mapeo(codigo="cod", nombre="nombre", densidad="dens", ocupacion="ocup"),
    }
    return PedidoZonas(**{**datos, **extra})


def _rechazo(comuna, ruta, **extra) -> ImportacionRechazada:
    with pytest.raises(ImportacionRechazada) as error:
        zonas_importar(_pedido(comuna, ruta, **extra))
    assert Zona.objects.count() == 0 and UsoZona.objects.count() == 0
    return error.value


def test_zonas_sinteticas_con_normas_en_cifras_es_cl(comuna, tmp_path):
    ruta = geojson_zonas(
        tmp_path / "z.geojson",
        [
            ({"cod": "ZU-1", "nombre": "Centro", "dens": "1.500", "ocup": "0,6"}, anillo(LON, LAT, 0.002)),
            ({"cod": "ZU-2", "nombre": "Borde", "dens": "-", "ocup": 0.3}, anillo(LON + 0.002, LAT, 0.002)),
        ],
    )
    resumen = zonas_importar(_pedido(comuna, ruta))
    assert (resumen["zonas"], resumen["usos"]) == (2, 0)
    assert list(
        Zona.objects.order_by("codigo").values_list("codigo", "densidad_max_hab_ha", "ocupacion_suelo")
    ) == [
        ("ZU-1", 1500.0, 0.6),
        ("ZU-2", None, 0.3),
    ]
    # 0,002° × 0,002° a 39° S: 222,4 m × 172,9 m ≈ 3,85 ha (UTM 18S).
    area = Zona.objects.get(codigo="ZU-1").geom.transform(5362, clone=True).area
    assert area == pytest.approx(38_450, rel=0.01)


def test_todo_o_nada_lista_cada_problema_con_su_lugar(comuna, tmp_path):
    ruta = geojson_zonas(
        tmp_path / "malo.geojson",
        [
            ({"cod": "ZU-1", "nombre": "Bien", "dens": 10, "ocup": 0.5}, anillo(LON, LAT, 0.001)),
            ({"cod": "ZU-2", "nombre": "Moño", "dens": 10, "ocup": 0.5}, MOÑO),
            ({"cod": "ZU-3", "nombre": "Temuco", "dens": 10, "ocup": 0.5}, anillo(-72.60, -38.74, 0.001)),
            ({"cod": "ZU-4", "nombre": "Repetida", "dens": 10, "ocup": 0.5}, anillo(LON + 0.003, LAT, 0.001)),
            ({"cod": "ZU-4", "nombre": "Repetida", "dens": 10, "ocup": 0.5}, anillo(LON + 0.005, LAT, 0.001)),
            (
                {"cod": "ZU-5", "nombre": "Ocupa más", "dens": -1, "ocup": 1.5},
                anillo(LON, LAT + 0.003, 0.001),
            ),
            (
                {"cod": "ZU-6", "nombre": "Texto", "dens": "mucha", "ocup": 0.1},
                anillo(LON, LAT + 0.005, 0.001),
            ),
        ],
    )
    error = _rechazo(comuna, ruta)
    # Moño, Temuco, ZU-4 repetida, ZU-5 (dos normas fuera de rango) y ZU-6: seis problemas.
    assert error.mensaje == "6 problemas en 7 elementos leídos; no se importó nada."
    detalles = "\n".join(error.detalles)
    # Autointersección del moño en su cruce (el centro del cuadrado).
    assert (
        f"fid 1 (zona «ZU-2»): autointersección en lon {LON + 0.001:.6f}, lat {LAT + 0.001:.6f}" in detalles
    )
    assert "Zona «ZU-3» (fid 2): polígono: La geometría queda fuera de Teodoro Schmidt (09117)" in detalles
    assert "Zona «ZU-4» (fid 3, 4): el código se repite en 2 elementos" in detalles
    assert "Zona «ZU-5» (fid 5): densidad máxima (hab/ha): No puede ser negativa." in detalles
    assert (
        "Zona «ZU-5» (fid 5): coeficiente de ocupación de suelo: Es una fracción del predio: de 0 a 1."
        in detalles
    )
    assert "Zona «ZU-6» (fid 6): «mucha» en «dens» no es una cifra" in detalles


def test_unir_por_codigo_junta_los_poligonos_repetidos(comuna, tmp_path):
    ruta = geojson_zonas(
        tmp_path / "z.geojson",
        [
            ({"cod": "ZU-4", "nombre": "Dos partes", "dens": 10, "ocup": 0.5}, anillo(LON, LAT, 0.001)),
            (
                {"cod": "ZU-4", "nombre": "Dos partes", "dens": 10, "ocup": 0.5},
                anillo(LON + 0.001, LAT, 0.001),
            ),
            ({"cod": "ZU-5", "nombre": "A", "dens": 10, "ocup": 0.5}, anillo(LON + 0.004, LAT, 0.001)),
            ({"cod": "ZU-5", "nombre": "B", "dens": 10, "ocup": 0.5}, anillo(LON + 0.006, LAT, 0.001)),
        ],
    )
    error = _rechazo(comuna, ruta, unir_por_codigo=True)
    assert error.detalles == ["Zona «ZU-5» (fid 2, 3): sus elementos tienen distinto «nombre» (A, B)"]
    ruta = geojson_zonas(
        tmp_path / "z2.geojson",
        [
            (p, a)
            for p, a in [
                ({"cod": "ZU-4", "nombre": "Dos partes", "dens": 10, "ocup": 0.5}, anillo(LON, LAT, 0.001)),
                (
                    {"cod": "ZU-4", "nombre": "Dos partes", "dens": 10, "ocup": 0.5},
                    anillo(LON + 0.001, LAT, 0.001),
                ),
            ]
        ],
    )
    zonas_importar(_pedido(comuna, ruta, unir_por_codigo=True))
    # Los dos cuadrados vecinos se funden en un rectángulo (una parte, válido).
    zona = Zona.objects.get()
    assert (zona.geom.num_geom, zona.geom.valid) == (1, True)


@pytest.mark.parametrize(
    ("mapeo", "mensaje"),
    [
        (
            Mapeo(codigo="codigo"),
            "El campo del código «codigo» no existe en el archivo (campos: cod, nombre).",
        ),
        (
            Mapeo(codigo="cod", altura="altura"),
            "El campo «altura» (altura) no existe en el archivo (campos: cod, nombre).",
        ),
    ],
)
def test_mapeo_a_un_campo_inexistente_se_rechaza(comuna, tmp_path, mapeo, mensaje):
    ruta = geojson_zonas(tmp_path / "z.geojson", [({"cod": "ZU-1", "nombre": "A"}, anillo(LON, LAT, 0.001))])
    assert _rechazo(comuna, ruta, mapeo=mapeo).mensaje == mensaje


def test_columna_inexistente_de_la_tabla_lista_las_columnas(las_condes):
    mapeo = dataclasses.replace(pedido_las_condes(las_condes).mapeo, altura="altura_m")
    with pytest.raises(
        ImportacionRechazada, match="El campo «altura_m» \\(altura\\) no existe en el archivo"
    ):
        zonas_importar(pedido_las_condes(las_condes, mapeo=mapeo))
    assert Zona.objects.count() == 0
