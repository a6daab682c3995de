"""Lector del cuerpo JSON de la API: lo hostil (anidación extrema, sustitutos sueltos) es un 400."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class CuerpoIlegible(ParseError):
    """JSON que se puede leer pero no usar; su mensaje dice por qué (no es el genérico)."""


class LectorJSON(JSONParser):
    """JSONParser de DRF que además rechaza con 400 lo que haría fallar más adelante con un 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        """Devuelve el JSON leído, o ParseError si no se puede leer ni guardar tal cual."""
        try:
            datos = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise CuerpoIlegible("El JSON está anidado demasiado profundo.")
        try:
            # Un «\ud800» suelto es JSON válido pero no UTF-8: PostgreSQL no lo puede guardar.
            json.dumps(datos, ensure_ascii=False).encode("utf-8")
        except (UnicodeEncodeError, RecursionError):
            raise CuerpoIlegible("El texto tiene caracteres que no son UTF-8 válido (sustitutos sueltos).")
        return datos
