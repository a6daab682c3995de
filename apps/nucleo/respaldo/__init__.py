"""Respaldos que se restauran: la base (pg_dump -Fc) y MEDIA_ROOT en un tar con manifiesto y sumas.

``crear.respaldo_crear`` escribe el archivo; ``restaurar.respaldo_restaurar`` lo verifica entero antes
de tocar nada y lo restaura en una base vacía. Vive en ``apps.nucleo`` (y no en ``capas``) porque
respalda el sitio completo —todas las apps, la auditoría y los archivos—, no el motor de capas.
"""


class RespaldoError(Exception):
    """El respaldo o la restauración no se hizo; el mensaje, en español, dice por qué y qué hacer."""
