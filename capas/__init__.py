"""Motor de capas de Territorio: agnóstico del dominio; nunca importa ``apps``."""
