"""Benchmarks de Territorio contra pares reconocidos (no son pruebas: miden)."""
