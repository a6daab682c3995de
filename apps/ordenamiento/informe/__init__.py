"""Informe de superposición para una persona: la página, el PDF para el Concejo y su trabajo acotado.

El cálculo vive en ``apps.ordenamiento.superposicion`` (dict JSON); aquí solo se presenta: las mismas
filas (``presentacion``) alimentan la página y las tablas del PDF.
"""
