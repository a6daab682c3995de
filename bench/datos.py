"""Genera los datos de los benchmarks (nivel S: una comuna, ~5.000 predios, ~2.000 restricciones).

Deterministas (semilla fija) y dentro del límite comunal real, como capas importadas: así ejercen la
misma ruta (FuenteSQL sobre ElementoReferencia) que una capa del IDE o de una consultora.

Las restricciones van en varias capas por categoría (humedal, inundación, cauces…), con elementos que
se superponen dentro de la capa y entre capas de la misma categoría (el informe no debe contar dos
veces), y una capa ``bench-snaspe`` con tres áreas protegidas grandes de borde fractal (~150.000
vértices en total, las mismas en todo nivel). Cuatro «zonas libres» de 1,2 km de radio quedan sin
restricción alguna (ahí caen propuestas cuyo informe es vacío).
"""

import math
import random

from django.contrib.gis.geos import GEOSGeometry, LineString, Point, Polygon
from django.db import connection, transaction

from capas.geometria import a_multi, a_srid_almacenamiento
from capas.models import CapaReferencia, ElementoReferencia
from capas.srid import reproyectar

NIVELES = {"S": {"predios": 5000, "restricciones": 2000}, "M": {"predios": 50_000, "restricciones": 20_000}}
DESTINOS = ("habitacional", "agrícola", "equipamiento", "área verde", "forestal", "ñadi")
# (capa, título, categoría, fracción de las restricciones del nivel, forma)
CAPAS_RESTRICCION = (
    ("bench-humedal-declarados", "Humedales urbanos declarados", "humedal", 0.10, "mancha"),
    ("bench-humedal-solicitados", "Humedales en proceso de declaración", "humedal", 0.08, "mancha"),
    ("bench-inundacion-dga", "Riesgo de inundación (DGA)", "inundacion", 0.18, "mancha"),
    ("bench-inundacion-prc", "Área de riesgo de inundación del PRC", "inundacion", 0.10, "mancha"),
    ("bench-tsunami", "Riesgo de tsunami", "tsunami", 0.04, "mancha"),
    ("bench-remocion", "Remoción en masa (Sernageomin)", "remocion", 0.12, "mancha"),
    ("bench-cauces-franja", "Franja de protección de cauces", "cauces", 0.15, "franja"),
    ("bench-areas-protegidas-privadas", "Áreas protegidas privadas", "area_protegida", 0.05, "mancha"),
    ("bench-sitio-prioritario", "Sitios prioritarios de conservación", "sitio_prioritario", 0.06, "mancha"),
    ("bench-comunidad-indigena", "Comunidades indígenas", "comunidad_indigena", 0.08, "mancha"),
    ("bench-utilidad-publica", "Declaratorias de utilidad pública", "utilidad_publica", 0.04, "mancha"),
)
CAPA_GRANDES = "bench-snaspe"
AREAS_GRANDES = 3  # polígonos de VERTICES_GRANDES vértices cada uno
VERTICES_GRANDES = 50_000
ZONAS_LIBRES, RADIO_LIBRE = 4, 1200.0
# Probabilidad de poner una mancha encima de otra de su categoría (superposiciones que no se suman).
PROB_ENCIMA = 0.4


def esperado(nivel: str) -> dict[str, int]:
    """Devuelve cuántos elementos tiene cada capa del benchmark en el nivel."""
    total = NIVELES[nivel]["restricciones"]
    cuentas = {"bench-predios": NIVELES[nivel]["predios"]}
    for nombre, _, _, fraccion, _ in CAPAS_RESTRICCION:
        cuentas[nombre] = round(total * fraccion)
    ultima = CAPAS_RESTRICCION[-1][0]
    cuentas[ultima] += total - sum(v for k, v in cuentas.items() if k != "bench-predios")
    cuentas[CAPA_GRANDES] = AREAS_GRANDES
    return cuentas


def capas_restriccion() -> list[str]:
    """Devuelve los nombres de las capas de restricción del benchmark (las grandes al final)."""
    return [c[0] for c in CAPAS_RESTRICCION] + [CAPA_GRANDES]


def _poligono_irregular(azar, cx, cy, radio, vertices, srid):
    """Devuelve un polígono estrellado válido (vértices en orden angular) alrededor de (cx, cy)."""
    puntos = []
    for i in range(vertices):
        angulo = 2 * math.pi * i / vertices
        r = radio * azar.uniform(0.6, 1.0)
        puntos.append((cx + r * math.cos(angulo), cy + r * math.sin(angulo)))
    puntos.append(puntos[0])
    return Polygon(puntos, srid=srid)


def _area_grande(azar, cx, cy, radio, srid):
    """Devuelve un polígono estrellado de borde fractal: lóbulos suaves más un paseo al azar en el radio.

    El ángulo crece estrictamente y el radio es siempre positivo: el anillo es simple (válido).
    """
    n = VERTICES_GRANDES
    armonicos = [(k, azar.uniform(0, 2 * math.pi), 0.12 / k**0.8) for k in range(2, 40)]
    paseo, acumulado = [], 0.0
    for _ in range(n):
        acumulado += azar.gauss(0, 0.6)
        paseo.append(acumulado)
    deriva = paseo[-1] / n  # se quita para que el paseo cierre sobre su inicio
    puntos = []
    for i in range(n):
        t = 2 * math.pi * i / n
        lobulos = sum(a * math.sin(k * t + fase) for k, fase, a in armonicos)
        r = radio * (1 + lobulos) + paseo[i] - deriva * i
        if r <= 0:
            raise ValueError("radio no positivo: el anillo no sería simple")
        puntos.append((cx + r * math.cos(t), cy + r * math.sin(t)))
    puntos.append(puntos[0])
    return Polygon(puntos, srid=srid)


def _franja(azar, x, y, srid):
    """Devuelve la franja de protección (buffer de 20–50 m) de un cauce que serpentea 1,5–6 km."""
    rumbo, puntos = azar.uniform(0, 2 * math.pi), [(x, y)]
    for _ in range(azar.randint(15, 45)):
        rumbo += azar.uniform(-0.45, 0.45)
        paso = azar.uniform(80, 150)
        x, y = x + paso * math.cos(rumbo), y + paso * math.sin(rumbo)
        puntos.append((x, y))
    return LineString(puntos, srid=srid).buffer(azar.uniform(20, 50), quadsegs=4)


def zonas_libres(limite, srid_metrico: int) -> list[GEOSGeometry]:
    """Devuelve los discos (en el SRID métrico) donde el generador no pone restricciones."""
    azar = random.Random(91170)
    interior = reproyectar(limite, srid_metrico).buffer(-200)
    xmin, ymin, xmax, ymax = interior.extent
    preparado, discos = interior.prepared, []
    while len(discos) < ZONAS_LIBRES:
        disco = Point(azar.uniform(xmin, xmax), azar.uniform(ymin, ymax), srid=srid_metrico).buffer(
            RADIO_LIBRE
        )
        if preparado.contains(disco) and not any(d.distance(disco) < 2000 for d in discos):
            discos.append(disco)
    return discos


def _capa(nombre, titulo, categoria, campos):
    """Crea la capa de referencia del benchmark."""
    return CapaReferencia.objects.create(
        nombre=nombre,
        titulo=f"{titulo} (benchmark)",
        categoria=categoria,
        tipo_geometria="MultiPolygon",
        campos=campos,
        srid_origen=4326,
        archivo_origen="bench/datos.py",
        formato="generado",
    )


def _llenar(capa, elementos) -> None:
    """Inserta los elementos de la capa y anota cuántos son."""
    ElementoReferencia.objects.bulk_create(elementos, batch_size=1000)
    capa.n_elementos = len(elementos)
    capa.save(update_fields=["n_elementos"])


def _verificar(srid_metrico: int, limite) -> None:
    """Exige que toda restricción generada sea válida (también en el SRID métrico) y quede en la comuna."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM capas_elementoreferencia e JOIN capas_capareferencia c ON c.id = e.capa_id
            WHERE c.nombre = ANY(%s) AND NOT (ST_IsValid(e.geom) AND ST_IsValid(ST_Transform(e.geom, %s))
                                              AND ST_CoveredBy(e.geom, ST_GeomFromEWKB(%s)))
            """,
            [capas_restriccion(), srid_metrico, bytes(limite.ewkb)],
        )
        malas = cursor.fetchone()[0]
    if malas:
        raise RuntimeError(f"{malas} restricciones generadas no son válidas o salen de la comuna")


@transaction.atomic
def generar(*, limite, srid_metrico: int, nivel: str = "S") -> dict[str, int]:
    """Genera los predios y las capas de restricción del nivel en ``limite`` (reemplaza las bench-*)."""
    cantidades = esperado(nivel)
    CapaReferencia.objects.filter(nombre__startswith="bench-").delete()
    azar = random.Random(9117)
    interior = reproyectar(limite, srid_metrico).buffer(-200)
    xmin, ymin, xmax, ymax = interior.extent
    preparado = interior.prepared
    libres = zonas_libres(limite, srid_metrico)
    libre = libres[0].union(libres[1]).union(libres[2]).union(libres[3]).prepared

    def centro():
        while True:
            x, y = azar.uniform(xmin, xmax), azar.uniform(ymin, ymax)
            if preparado.contains(Point(x, y, srid=srid_metrico)):
                return x, y

    def cabe(geom):
        return preparado.contains(geom) and not libre.intersects(geom)

    predios = _capa(
        "bench-predios",
        "Predios",
        "predial",
        [
            {"nombre": "rol", "tipo": "texto"},
            {"nombre": "destino", "tipo": "texto"},
            {"nombre": "superficie_m2", "tipo": "decimal"},
            {"nombre": "avaluo", "tipo": "entero"},
        ],
    )
    elementos = []
    for fid in range(1, cantidades["bench-predios"] + 1):
        x, y = centro()
        lado_x, lado_y = azar.uniform(20, 120), azar.uniform(20, 120)
        rect = Polygon.from_bbox((x, y, x + lado_x, y + lado_y))
        rect.srid = srid_metrico
        geom = a_multi(a_srid_almacenamiento(rect))
        elementos.append(
            ElementoReferencia(
                capa=predios,
                fid=fid,
                geom=geom,
                atributos={
                    "rol": f"{500 + fid // 40}-{fid % 40 + 1}",
                    "destino": azar.choice(DESTINOS),
                    "superficie_m2": round(lado_x * lado_y, 2),
                    "avaluo": azar.randint(5, 900) * 1_000_000,
                },
            )
        )
    _llenar(predios, elementos)

    campos = [{"nombre": "categoria", "tipo": "texto"}, {"nombre": "nombre", "tipo": "texto"}]
    centros_categoria: dict[str, list[tuple[float, float]]] = {}
    for nombre, titulo, categoria, _, forma in CAPAS_RESTRICCION:
        capa, elementos = _capa(nombre, titulo, categoria, campos), []
        previos = centros_categoria.setdefault(categoria, [])
        while len(elementos) < cantidades[nombre]:
            if previos and azar.random() < PROB_ENCIMA:
                px, py = azar.choice(previos)
                x, y = px + azar.uniform(-300, 300), py + azar.uniform(-300, 300)
            else:
                x, y = centro()
            if forma == "franja":
                geom = _franja(azar, x, y, srid_metrico)
            else:
                geom = _poligono_irregular(
                    azar, x, y, azar.uniform(100, 600), azar.randint(24, 96), srid_metrico
                )
            if not cabe(geom):
                continue
            previos.append((x, y))
            fid = len(elementos) + 1
            elementos.append(
                ElementoReferencia(
                    capa=capa,
                    fid=fid,
                    geom=a_multi(a_srid_almacenamiento(geom)),
                    atributos={"categoria": categoria, "nombre": f"{titulo} {fid}"},
                )
            )
        _llenar(capa, elementos)

    # Las áreas grandes salen de su propia semilla: son las mismas en todo nivel.
    azar = random.Random(91171)
    grandes, elementos = _capa(CAPA_GRANDES, "Áreas protegidas del SNASPE", "area_protegida", campos), []
    radio, centros = 2500.0, []
    while len(elementos) < AREAS_GRANDES:
        for _ in range(500):
            x, y = centro()
            # Se tocan a lo más en sus bordes (centros a 1,6 radios): superposición parcial, no total.
            if any(math.dist((x, y), c) < 1.6 * radio for c in centros):
                continue
            # Primero un disco que la contiene de sobra (barato); después el polígono de 50.000 vértices.
            if cabe(Point(x, y, srid=srid_metrico).buffer(radio * 1.6 + 400)):
                geom = _area_grande(azar, x, y, radio, srid_metrico)
                if cabe(geom):
                    break
        else:
            radio *= 0.9  # la comuna es angosta: se achica hasta que cabe
            continue
        centros.append((x, y))
        fid = len(elementos) + 1
        elementos.append(
            ElementoReferencia(
                capa=grandes,
                fid=fid,
                geom=a_multi(a_srid_almacenamiento(geom)),
                atributos={"categoria": "area_protegida", "nombre": f"Reserva Nacional Budi {fid}"},
            )
        )
    _llenar(grandes, elementos)
    _verificar(srid_metrico, limite)
    return dict(
        CapaReferencia.objects.filter(nombre__startswith="bench-").values_list("nombre", "n_elementos")
    )


def propuestas(limite, srid_metrico: int, cantidad: int = 50) -> list[dict]:
    """Devuelve las propuestas de prueba (0,5–50 ha, en EPSG:4326): cruzan las áreas grandes, caen en
    zonas libres o en cualquier parte de la comuna. Deterministas; exigen los datos ya generados."""
    azar = random.Random(2026)
    interior = reproyectar(limite, srid_metrico).buffer(-200)
    xmin, ymin, xmax, ymax = interior.extent
    preparado = interior.prepared
    libres = zonas_libres(limite, srid_metrico)
    bordes = [
        reproyectar(e.geom, srid_metrico)[0].exterior_ring.coords
        for e in ElementoReferencia.objects.filter(capa__nombre=CAPA_GRANDES).order_by("fid")
    ]
    resultado = []
    while len(resultado) < cantidad:
        i = len(resultado)
        tipo = "cruza_snaspe" if i % 10 < 3 else "zona_libre" if i % 10 < 5 else "general"
        hectareas = math.exp(azar.uniform(math.log(0.5), math.log(50)))
        radio = math.sqrt(hectareas * 10_000 / math.pi)
        if tipo == "cruza_snaspe":
            x, y = azar.choice(azar.choice(bordes))
        elif tipo == "zona_libre":
            disco = azar.choice(libres)
            c = disco.centroid
            distancia = azar.uniform(0, max(0.0, RADIO_LIBRE - 1.6 * radio))
            angulo = azar.uniform(0, 2 * math.pi)
            x, y = c.x + distancia * math.cos(angulo), c.y + distancia * math.sin(angulo)
        else:
            x, y = azar.uniform(xmin, xmax), azar.uniform(ymin, ymax)
        geom = _propuesta(azar, x, y, radio, hectareas, srid_metrico)
        if not preparado.contains(geom) or (
            tipo == "zona_libre" and not any(d.contains(geom) for d in libres)
        ):
            continue
        resultado.append(
            {"n": i + 1, "tipo": tipo, "hectareas": geom.area / 10_000, "geom": reproyectar(geom, 4326)}
        )
    return resultado


def _propuesta(azar, cx, cy, radio, hectareas, srid):
    """Devuelve un polígono de propuesta: 6–14 vértices, alargado y girado, de ``hectareas`` ha."""
    n, alargue, giro = azar.randint(6, 14), azar.uniform(1, 2.5), azar.uniform(0, math.pi)
    puntos = []
    for i in range(n):
        t = 2 * math.pi * i / n + azar.uniform(-0.2, 0.2) / n
        r = radio * azar.uniform(0.75, 1.0)
        px, py = r * math.cos(t) * alargue, r * math.sin(t) / alargue
        puntos.append((px * math.cos(giro) - py * math.sin(giro), px * math.sin(giro) + py * math.cos(giro)))
    escala = math.sqrt(hectareas * 10_000 / Polygon([*puntos, puntos[0]]).area)
    anillo = [(cx + px * escala, cy + py * escala) for px, py in puntos]
    return Polygon([*anillo, anillo[0]], srid=srid)
