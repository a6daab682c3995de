"""Importación de capas vectoriales: INE real (4674) y sus derivadas en cada formato, CRS y codificación."""

import json
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely
from django.db import connection

from capas.importacion.informe import ImportacionRechazada
from capas.importacion.vectorial import capa_importar
from capas.models import CapaReferencia, ElementoReferencia
from capas.registro import registro
from tests.conftest import COMUNAS_R09

CON_TILDE = {"CURACAUTÍN", "PITRUFQUÉN", "PUCÓN", "PURÉN", "TOLTÉN", "TRAIGUÉN", "VILCÚN"}


def importar(ruta, nombre="prueba", *, titulo="Prueba", categoria="referencia", **opciones):
    """Importa con valores por defecto de prueba."""
    return capa_importar(ruta=ruta, nombre=nombre, titulo=titulo, categoria=categoria, **opciones)


def area_km2(capa, campo, valor, srid=5362):
    """Devuelve el área (km²) en ``srid`` del elemento cuyo atributo ``campo`` vale ``valor``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Area(ST_Transform(geom, %s)) / 1e6 FROM capas_elementoreferencia "
            "WHERE capa_id = %s AND atributos->>%s = %s",
            [srid, capa.pk, campo, valor],
        )
        return cursor.fetchone()[0]


def valores(capa, campo):
    """Devuelve el conjunto de valores de un atributo en la capa."""
    return {e.atributos[campo] for e in capa.elementos.all()}


def ogr2ogr(*argumentos):
    """Corre ogr2ogr (GDAL de Debian) sin shell."""
    subprocess.run(["ogr2ogr", *map(str, argumentos)], check=True, capture_output=True)


def test_geojson_ine_4674_conserva_nombres_y_area(comuna):
    capa = importar(COMUNAS_R09, nombre="comunas-r09", titulo="Comunas de La Araucanía")
    assert (capa.n_elementos, capa.tipo_geometria, capa.srid_origen, capa.formato) == (
        32,
        "MultiPolygon",
        4674,
        "GeoJSON",
    )
    assert capa.elementos.count() == 32
    assert capa.elementos.get(atributos__COMUNA="9117").atributos["NOM_COMUNA"] == "TEODORO SCHMIDT"
    assert CON_TILDE <= valores(capa, "NOM_COMUNA")
    assert valores(capa, "NOM_PROVIN") == {"CAUTÍN", "MALLECO"}
    assert area_km2(capa, "COMUNA", "9117") == pytest.approx(653.5, abs=0.5)
    tipos = {c["nombre"]: c["tipo"] for c in capa.campos}
    assert tipos == {
        "REGION": "texto",
        "NOM_REGION": "texto",
        "PROVINCIA": "texto",
        "NOM_PROVIN": "texto",
        "COMUNA": "texto",
        "NOM_COMUNA": "texto",
        "SHAPE_Leng": "decimal",
        "SHAPE_Area": "decimal",
    }
    assert capa.informe["leidos"] == 32 and capa.informe["n_invalidos"] == 0
    publicada = registro.obtener("comunas-r09", todas=True)
    assert publicada.titulo == "Comunas de La Araucanía" and publicada.origen == "importada"


def _shapefile_desde_ine(destino: Path, *, codificacion: str, cpg: bool) -> Path:
    """Escribe el INE como shapefile con ``codificacion`` (+ campos con ñ) y lo devuelve en un zip."""
    meta, _fids, geometrias, columnas = pyogrio.raw.read(COMUNAS_R09)
    campos = [*meta["fields"], "AÑO", "FUENTE"]
    n = len(geometrias)
    columnas = [
        *columnas,
        np.full(n, 2017, dtype="int64"),
        np.array(["Censo, año 2017 (señal)"] * n, dtype=object),
    ]
    shp = destino / "comunas.shp"
    pyogrio.raw.write(
        shp,
        geometrias,
        columnas,
        campos,
        crs="EPSG:4674",
        driver="ESRI Shapefile",
        geometry_type="MultiPolygon",
        encoding=codificacion,
    )
    if not cpg:
        shp.with_suffix(".cpg").unlink(missing_ok=True)
        with shp.with_suffix(".dbf").open("r+b") as dbf:
            dbf.seek(29)
            dbf.write(b"\x00")  # sin «language driver»: como los DBF antiguos de ArcView
    zip_ruta = destino / "comunas.zip"
    with zipfile.ZipFile(zip_ruta, "w", zipfile.ZIP_DEFLATED) as archivo:
        for parte in destino.glob("comunas.*"):
            if parte.suffix != ".zip":
                archivo.write(parte, f"comunas/{parte.name}")
    return zip_ruta


@pytest.mark.parametrize(
    ("codificacion", "cpg", "esperada"),
    [("ISO-8859-1", False, "cp1252"), ("UTF-8", False, "UTF-8"), ("UTF-8", True, "UTF-8")],
)
def test_shapefile_zip_conserva_tildes_y_enie(comuna, tmp_path, codificacion, cpg, esperada):
    ruta = _shapefile_desde_ine(tmp_path, codificacion=codificacion, cpg=cpg)
    assert tmp_path.joinpath("comunas.cpg").exists() is cpg
    capa = importar(ruta)
    assert capa.n_elementos == 32 and capa.formato == "ESRI Shapefile"
    assert CON_TILDE <= valores(capa, "NOM_COMUNA")
    assert "TEODORO SCHMIDT" in valores(capa, "NOM_COMUNA")
    assert valores(capa, "FUENTE") == {"Censo, año 2017 (señal)"}
    assert valores(capa, "AÑO") == {2017}
    assert {"nombre": "AÑO", "tipo": "entero"} in capa.campos
    assert capa.informe["codificacion"].startswith(esperada)
    assert area_km2(capa, "COMUNA", "9117") == pytest.approx(653.5, abs=0.5)


def test_csv_wkt_requiere_srid_y_conserva_textos(comuna, tmp_path):
    csv = tmp_path / "comunas.csv"
    ogr2ogr("-f", "CSV", csv, COMUNAS_R09, "-lco", "GEOMETRY=AS_WKT", "-where", "COMUNA IN ('9117','9116')")
    with pytest.raises(ImportacionRechazada, match="no declara su sistema de coordenadas"):
        importar(csv)
    capa = importar(csv, srid=4674)
    assert (capa.n_elementos, capa.tipo_geometria, capa.formato) == (2, "MultiPolygon", "CSV")
    assert valores(capa, "NOM_COMUNA") == {"TEODORO SCHMIDT", "SAAVEDRA"}
    assert area_km2(capa, "COMUNA", "9117") == pytest.approx(653.5, abs=0.5)
    assert {c["nombre"] for c in capa.campos} >= {"COMUNA", "NOM_COMUNA"}
    assert "WKT" not in {c["nombre"] for c in capa.campos}


LOCALIDADES_CSV = (
    "nombre;codigo;lon;lat\n"
    "Teodoro Schmidt;09117;-73.0923;-38.9961\n"
    "Hualpín;09117;-73.1597;-38.9340\n"
    "Barros Arana;09117;-73.1008;-39.0478\n"
)


def test_csv_lon_lat_latin1_con_codigo_y_tildes(comuna, tmp_path):
    csv = tmp_path / "localidades.csv"
    csv.write_bytes(LOCALIDADES_CSV.replace(";", ",").encode("latin-1"))
    capa = importar(csv, srid=4326)
    assert (capa.n_elementos, capa.tipo_geometria) == (3, "MultiPoint")
    assert valores(capa, "nombre") == {"Teodoro Schmidt", "Hualpín", "Barros Arana"}
    assert valores(capa, "codigo") == {"09117"}
    assert "recodificada" in capa.informe["codificacion"]
    hualpin = capa.elementos.get(atributos__nombre="Hualpín").geom
    assert hualpin.geom_type == "MultiPoint"
    assert hualpin[0].coords == pytest.approx((-73.1597, -38.9340))


def test_csv_lat_lon_invertidas_se_rechaza_con_explicacion(comuna, tmp_path, sin_rastros):
    csv = tmp_path / "invertidas.csv"
    cabecera, *filas = [linea.split(";") for linea in LOCALIDADES_CSV.strip().splitlines()]
    lineas = [",".join(cabecera)] + [",".join([n, c, y, x]) for n, c, x, y in filas]
    csv.write_text("\n".join(lineas) + "\n", encoding="utf-8")
    with pytest.raises(ImportacionRechazada, match="latitud y longitud intercambiadas") as error:
        importar(csv, srid=4326)
    assert error.value.codigo == "lat_lon_invertidas"


def test_kml_trae_atributos_sin_campos_tecnicos(comuna, tmp_path):
    kml = tmp_path / "comunas.kml"
    ogr2ogr("-f", "KML", kml, COMUNAS_R09, "-where", "COMUNA IN ('9117','9116','9111')")
    capa = importar(kml)
    assert (capa.n_elementos, capa.tipo_geometria, capa.srid_origen) == (3, "MultiPolygon", 4326)
    assert valores(capa, "NOM_COMUNA") == {"TEODORO SCHMIDT", "SAAVEDRA", "NUEVA IMPERIAL"}
    nombres = {c["nombre"] for c in capa.campos}
    assert "NOM_COMUNA" in nombres and not nombres & {"tessellate", "extrude", "visibility", "timestamp"}
    assert "tessellate" not in capa.elementos.first().atributos
    assert area_km2(capa, "COMUNA", "9117") == pytest.approx(653.5, abs=0.5)


def test_kmz_lee_su_doc_kml(comuna, tmp_path):
    kml = tmp_path / "doc.kml"
    ogr2ogr("-f", "KML", kml, COMUNAS_R09, "-where", "COMUNA = '9117'")
    kmz = tmp_path / "teodoro.kmz"
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as archivo:
        archivo.write(kml, "doc.kml")
        archivo.writestr("files/icono.png", b"\x89PNG")
    capa = importar(kmz)
    assert capa.n_elementos == 1 and capa.elementos.get().atributos["NOM_COMUNA"] == "TEODORO SCHMIDT"
    assert capa.archivo_origen == "teodoro.kmz"
    assert any("files/icono.png" in aviso for aviso in capa.informe["avisos"])


@pytest.mark.parametrize("srid", [5362, 9155, 32719])
def test_geojson_en_crs_metricos_chilenos(comuna, tmp_path, srid):
    ruta = tmp_path / f"comunas_{srid}.geojson"
    ogr2ogr("-f", "GeoJSON", "-t_srs", f"EPSG:{srid}", ruta, COMUNAS_R09)
    assert f"EPSG::{srid}" in ruta.read_text()[:400]
    capa = importar(ruta)
    assert (capa.n_elementos, capa.srid_origen) == (32, srid)
    assert area_km2(capa, "COMUNA", "9117") == pytest.approx(653.5, abs=0.5)
    assert capa.elementos.get(atributos__COMUNA="9117").atributos["NOM_COMUNA"] == "TEODORO SCHMIDT"


def test_srid_del_usuario_manda_y_uno_equivocado_se_rechaza(comuna, sin_rastros):
    with pytest.raises(ImportacionRechazada, match="EPSG:32719") as error:
        importar(COMUNAS_R09, srid=32719)
    assert error.value.codigo in ("fuera_de_comuna", "crs_incorrecto")


def _geojson(ruta: Path, geometrias: list, crs="EPSG:4326") -> Path:
    """Escribe un GeoJSON con una propiedad ``n`` por elemento."""
    rasgos = [
        {"type": "Feature", "properties": {"n": i}, "geometry": shapely.geometry.mapping(g)}
        for i, g in enumerate(geometrias)
    ]
    datos = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": crs}},
        "features": rasgos,
    }
    ruta.write_text(json.dumps(datos), encoding="utf-8")
    return ruta


MOÑO = shapely.Polygon(
    [(-73.10, -38.98), (-73.05, -38.93), (-73.05, -38.98), (-73.10, -38.93), (-73.10, -38.98)]
)
CUADRO = shapely.box(-73.12, -39.02, -73.08, -38.99)


def test_geometria_invalida_se_rechaza_con_fid_motivo_y_lugar(comuna, tmp_path, sin_rastros):
    ruta = _geojson(tmp_path / "invalida.geojson", [CUADRO, MOÑO])
    with pytest.raises(ImportacionRechazada) as error:
        importar(ruta)
    assert error.value.codigo == "geometrias_invalidas"
    assert (
        "1 de 2 elementos" in error.value.mensaje and "«Reparar geometrías inválidas»" in error.value.mensaje
    )
    assert "--" not in error.value.mensaje and "(--reparar)" in error.value.mensaje_orden
    assert error.value.detalles == ["fid 1: autointersección en lon -73.075000, lat -38.955000"]


def test_reparar_arregla_e_informa(comuna, tmp_path):
    ruta = _geojson(tmp_path / "invalida.geojson", [CUADRO, MOÑO])
    capa = importar(ruta, reparar=True)
    assert capa.n_elementos == 2
    reparado = capa.informe["reparados"]
    assert [r["fid"] for r in reparado] == [1]
    assert reparado[0]["motivo"].startswith("autointersección")
    assert "MakeValid: 2 partes" in reparado[0]["cambio"]
    geom = capa.elementos.get(fid=1).geom
    assert geom.valid and geom.geom_type == "MultiPolygon" and geom.num_geom == 2


def test_tipos_mezclados_y_colecciones_mixtas_se_informan(comuna, tmp_path, sin_rastros):
    punto = shapely.Point(-73.09, -38.99)
    with pytest.raises(ImportacionRechazada, match=r"mezcla tipos de geometría \(1 puntos, 1 polígonos\)"):
        importar(_geojson(tmp_path / "mezcla.geojson", [CUADRO, punto]))
    coleccion = shapely.GeometryCollection([CUADRO, punto])
    with pytest.raises(ImportacionRechazada) as error:
        importar(_geojson(tmp_path / "coleccion.geojson", [CUADRO, coleccion]))
    assert error.value.detalles == ["fid 1: colección que mezcla puntos, líneas y/o polígonos"]


def test_elementos_sin_geometria_se_omiten_e_informan(comuna, tmp_path):
    ruta = _geojson(tmp_path / "nula.geojson", [CUADRO, CUADRO])
    datos = json.loads(ruta.read_text())
    datos["features"][1]["geometry"] = None
    ruta.write_text(json.dumps(datos))
    capa = importar(ruta)
    assert capa.n_elementos == 1
    assert capa.informe["omitidos"] == [
        {"fid": 1, "motivo": "sin geometría (elemento omitido)", "cambio": ""}
    ]


def test_capa_lejana_se_rechaza_salvo_confirmacion(comuna, tmp_path):
    lejos = shapely.affinity.translate(CUADRO, xoff=5.0)  # Argentina, ~430 km al este
    ruta = _geojson(tmp_path / "lejos.geojson", [lejos])
    with pytest.raises(ImportacionRechazada, match=r"queda a \d+ km del entorno de 20 km") as error:
        importar(ruta)
    assert error.value.codigo == "fuera_de_comuna"
    assert CapaReferencia.objects.count() == 0
    capa = importar(ruta, confirmar_fuera=True)
    assert capa.n_elementos == 1
    assert any("lo confirmó" in aviso for aviso in capa.informe["avisos"])


def test_coordenadas_utm_declaradas_como_4326_se_explican(comuna, tmp_path, sin_rastros):
    ruta = tmp_path / "utm.geojson"
    ogr2ogr("-f", "GeoJSON", "-t_srs", "EPSG:32718", ruta, COMUNAS_R09)
    datos = json.loads(ruta.read_text())
    datos["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::4326"
    ruta.write_text(json.dumps(datos))
    with pytest.raises(ImportacionRechazada, match="parecen métricas"):
        importar(ruta)


def test_nombre_invalido_estatico_o_repetido(comuna):
    for nombre, texto in (("Mal Nombre", "Identificador inválido"), ("comunas", "capa del sistema")):
        with pytest.raises(ImportacionRechazada, match=texto):
            importar(COMUNAS_R09, nombre=nombre)
    importar(COMUNAS_R09, nombre="repetida")
    with pytest.raises(ImportacionRechazada, match="Ya existe una capa «repetida»"):
        importar(COMUNAS_R09, nombre="repetida")
    assert CapaReferencia.objects.count() == 1 and ElementoReferencia.objects.count() == 32


def test_tipos_de_campo_fechas_iso_y_lectura_publicada(comuna, tmp_path):
    propiedades = {
        "nombre": "Estero Ñancul",
        "fecha": "2024-05-01",
        "registro": "2024-05-01T10:30:00",
        "vigente": True,
        "superficie_ha": 12.5,
        "rol": 573,
    }
    ruta = tmp_path / "tipos.geojson"
    rasgo = {"type": "Feature", "properties": propiedades, "geometry": shapely.geometry.mapping(CUADRO)}
    ruta.write_text(json.dumps({"type": "FeatureCollection", "features": [rasgo]}), encoding="utf-8")
    capa = importar(ruta, nombre="tipos")
    assert {c["nombre"]: c["tipo"] for c in capa.campos} == {
        "nombre": "texto",
        "fecha": "fecha",
        "registro": "fecha_hora",
        "vigente": "booleano",
        "superficie_ha": "decimal",
        "rol": "entero",
    }
    atributos = capa.elementos.get().atributos
    assert (atributos["fecha"], atributos["registro"][:19]) == ("2024-05-01", "2024-05-01T10:30:00")
    assert (atributos["vigente"], atributos["superficie_ha"], atributos["nombre"]) == (
        True,
        12.5,
        "Estero Ñancul",
    )
    # La capa publicada (registro) convierte el JSON a tipos SQL sin error.
    fuente = registro.obtener("tipos", todas=True).fuente
    sql, parametros = fuente.seleccion(columnas=fuente.columnas_atributos())
    with connection.cursor() as cursor:
        cursor.execute(sql, parametros)
        fila = cursor.fetchone()
    assert str(fila[1]) == "2024-05-01" and fila[3] is True and fila[4] == 12.5 and fila[5] == 573
