#!/usr/bin/env python
"""Punto de entrada de las órdenes de administración de Territorio."""

import os
import sys


def main():
    """Ejecuta la orden de administración pedida."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territorio.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
