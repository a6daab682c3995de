"""Filtros de plantilla con los formatos de Chile: ``{% load formatos %}`` (ver apps/nucleo/formatos.py)."""

from django import template

from apps.nucleo import formatos

register = template.Library()

register.filter("numero", formatos.numero)
register.filter("clp", formatos.clp)
register.filter("fecha", formatos.fecha)
register.filter("fecha_hora", formatos.fecha_hora)
register.filter("rut", formatos.rut)
register.filter("superficie", formatos.superficie)
register.filter("longitud", formatos.longitud)
register.filter("plural", formatos.plural)
