"""Un solo ingreso: /ingresar/ atiende al sitio y al admin, con la misma página y las mismas palabras."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache

from apps.cuentas.forms import FormularioIngreso


class Ingreso(auth_views.LoginView):
    """Página de ingreso del sitio (plantilla registration/login.html)."""

    form_class = FormularioIngreso


@never_cache
@login_not_required
def ingreso_admin(request):
    """Reemplaza el ingreso propio del admin: lleva a /ingresar/ conservando ``next``.

    Un POST (formularios o clientes antiguos) lo atiende la misma vista del sitio. Quien ya ingresó
    pero su rol no usa la administración recibe un 403 que lo explica, no otro formulario de ingreso.
    """
    destino = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(destino, allowed_hosts={request.get_host()}):
        destino = reverse("admin:index")
    if request.method == "POST":
        return Ingreso.as_view()(request)
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(destino)
        raise PermissionDenied(
            "Su rol no usa la administración de datos: trabaje desde las páginas del sitio."
        )
    return HttpResponseRedirect(reverse("login") + "?" + urlencode({REDIRECT_FIELD_NAME: destino}))
