"""Definición OpenAPI 3.0 de /ogcapi/: QGIS la lee para conocer el límite por defecto y el máximo."""

LIMITE_POR_DEFECTO = 100
LIMITE_MAXIMO = 10000
TIPO_OPENAPI = "application/vnd.oai.openapi+json;version=3.0"


def _respuesta(descripcion: str, tipos: tuple[str, ...] = ("application/json", "text/html")) -> dict:
    """Devuelve una respuesta OpenAPI con sus tipos de contenido."""
    return {"description": descripcion, "content": {t: {"schema": {"type": "object"}} for t in tipos}}


def _operacion(resumen: str, operacion: str, parametros: list[str], respuesta: dict) -> dict:
    """Devuelve una operación GET con referencias a parámetros comunes y errores."""
    return {
        "get": {
            "summary": resumen,
            "operationId": operacion,
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in parametros],
            "responses": {
                "200": respuesta,
                "400": _respuesta("Parámetro inválido", ("application/json",)),
                "401": _respuesta("Se requieren credenciales (HTTP Basic)", ("application/json",)),
                "404": _respuesta("No existe", ("application/json",)),
            },
        }
    }


def documento_openapi(url_base: str) -> dict:
    """Devuelve la definición OpenAPI de la API servida en ``url_base`` (sin / final)."""
    geojson = ("application/geo+json", "text/html")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Territorio — OGC API – Features",
            "version": "1.0.0",
            "description": "Capas geoespaciales de la SECPLAC. Las capas no públicas piden HTTP Basic.",
            "contact": {"name": "SECPLAC"},
        },
        "servers": [{"url": url_base}],
        "components": {
            "securitySchemes": {"basic": {"type": "http", "scheme": "basic"}},
            "parameters": {
                "f": {
                    "name": "f",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": ["json", "html"]},
                },
                "collectionId": {
                    "name": "collectionId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
                "featureId": {
                    "name": "featureId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "style": "form",
                    "explode": False,
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": LIMITE_MAXIMO,
                        "default": LIMITE_POR_DEFECTO,
                    },
                },
                "offset": {
                    "name": "offset",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 0, "default": 0},
                },
                "bbox": {
                    "name": "bbox",
                    "in": "query",
                    "required": False,
                    "style": "form",
                    "explode": False,
                    "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                },
                "bbox-crs": {
                    "name": "bbox-crs",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]},
                },
                "datetime": {
                    "name": "datetime",
                    "in": "query",
                    "required": False,
                    "description": "Aceptado e ignorado: las capas no tienen dimensión temporal.",
                    "schema": {"type": "string"},
                },
            },
        },
        "security": [{}, {"basic": []}],
        "paths": {
            "/": _operacion("Página de inicio", "getLandingPage", ["f"], _respuesta("Inicio")),
            "/conformance": _operacion(
                "Clases de conformidad", "getConformanceDeclaration", ["f"], _respuesta("Conformidad")
            ),
            "/collections": _operacion("Colecciones", "getCollections", ["f"], _respuesta("Colecciones")),
            "/collections/{collectionId}": _operacion(
                "Colección", "describeCollection", ["collectionId", "f"], _respuesta("Colección")
            ),
            "/collections/{collectionId}/items": _operacion(
                "Elementos",
                "getFeatures",
                ["collectionId", "limit", "offset", "bbox", "bbox-crs", "datetime", "f"],
                _respuesta("FeatureCollection GeoJSON", geojson),
            ),
            "/collections/{collectionId}/items/{featureId}": _operacion(
                "Elemento", "getFeature", ["collectionId", "featureId", "f"], _respuesta("Feature", geojson)
            ),
        },
    }
