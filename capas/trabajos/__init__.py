"""Trabajos en segundo plano: cola (Procrastinate), ejecución acotada en un proceso hijo y conserje."""
