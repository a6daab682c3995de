"""Paginación limit/offset de la API: parámetros validados (400 en español) y tope de ``limit``."""

import json

from django.http import HttpResponse
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from apps.api.lectura import textos


class PaginacionLimite(LimitOffsetPagination):
    """``limit`` (1 a 500, 50 por omisión; más de 500 se recorta a 500) y ``offset`` (desde 0)."""

    default_limit = 50
    max_limit = 500
    limit_query_description = "Registros por página (1 a 500; por omisión 50; más de 500 se recorta)."
    offset_query_description = "Registros que se saltan desde el comienzo (0 o más)."

    def get_schema_operation_parameters(self, view):
        """Documenta los mínimos de ``limit`` (1) y ``offset`` (0) que la validación exige."""
        parametros = super().get_schema_operation_parameters(view)
        for parametro in parametros:
            parametro["schema"]["minimum"] = 1 if parametro["name"] == self.limit_query_param else 0
        return parametros

    def _entero(self, request, nombre: str, defecto: int, minimo: int) -> int:
        texto = request.query_params.get(nombre)
        if texto is None or texto == "":
            return defecto
        try:
            valor = int(texto)
        except ValueError:
            raise ValidationError({nombre: [f"Debe ser un número entero (se recibió «{texto[:40]}»)."]})
        if valor < minimo:
            raise ValidationError({nombre: [f"Debe ser un número entero mayor o igual a {minimo}."]})
        return valor

    def get_limit(self, request):
        """Devuelve el ``limit`` pedido, recortado al tope."""
        return min(self._entero(request, self.limit_query_param, self.default_limit, 1), self.max_limit)

    def get_offset(self, request):
        """Devuelve el ``offset`` pedido."""
        return self._entero(request, self.offset_query_param, 0, 0)

    def pagina_textos(self, queryset, request, campos: dict) -> list[str]:
        """Cuenta el total y devuelve los textos JSON de la página (dos consultas en total)."""
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        self.count = self.get_count(queryset)
        if self.offset >= self.count:
            return []
        return textos(queryset[self.offset : self.offset + self.limit], campos)

    def respuesta(self, elementos: list[str]) -> HttpResponse:
        """Devuelve la página ``{count, next, previous, results}`` sin volver a analizar los textos."""
        cabeza = json.dumps(
            {"count": self.count, "next": self.get_next_link(), "previous": self.get_previous_link()},
            ensure_ascii=False,
        )
        cuerpo = cabeza[:-1] + ', "results": [' + ",".join(elementos) + "]}"
        return HttpResponse(cuerpo, content_type="application/json; charset=utf-8")
