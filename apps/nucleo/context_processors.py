"""Variables disponibles en todas las plantillas."""

from apps.comunas.selectors import comuna_configurada


def territorio(request):
    """Agrega la comuna configurada al contexto de plantillas."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"comuna": comuna_configurada(con_geometrias=False)}
