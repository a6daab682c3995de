"""Base del admin: mapas Leaflet locales y bloqueo optimista (el historial: admin_historial.py)."""

from concurrency.admin import ConcurrentModelAdmin
from concurrency.forms import ConcurrentForm
from django.contrib import messages
from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponseRedirect
from leaflet.admin import LeafletGeoAdminMixin

from apps.comunas.selectors import comuna_configurada
from apps.nucleo.concurrencia import ConflictoEdicion, mensaje_conflicto
from capas.campos import CampoGeometria


class FormularioVersionado(ConcurrentForm):
    """Formulario que detecta la edición concurrente antes de guardar, con mensaje en español."""

    def clean(self):
        """Reemplaza el aviso genérico de django-concurrency por uno que explica qué hacer."""
        datos = super().clean()
        if NON_FIELD_ERRORS in self.errors and self.instance.pk:
            self.errors.pop(NON_FIELD_ERRORS)
            self.add_error(None, ValidationError(mensaje_conflicto(self.instance), code="conflicto"))
        return datos


class TerritorioAdmin(LeafletGeoAdminMixin, ConcurrentModelAdmin):
    """Admin de un registro de dominio versionado y con geometrías."""

    form = FormularioVersionado
    display_raw = False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Usa CampoGeometria: Z, NaN, 1e308 o GeoJSON roto son errores del campo, no un 500."""
        if isinstance(db_field, GeometryField):
            kwargs.setdefault("form_class", CampoGeometria)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Convierte un conflicto detectado al guardar en un aviso, sin perder la página."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConflictoEdicion as conflicto:
            messages.error(request, mensaje_conflicto(conflicto.target))
            return HttpResponseRedirect(request.get_full_path())


class ComunaInicialAdmin(TerritorioAdmin):
    """Admin de un registro que pertenece a la comuna configurada (la propone al crear)."""

    list_filter = ("es_demo",)

    def get_changeform_initial_data(self, request):
        """Propone la comuna configurada en los registros nuevos."""
        inicial = super().get_changeform_initial_data(request)
        comuna = comuna_configurada(con_geometrias=False)
        if comuna:
            inicial.setdefault("comuna", comuna.pk)
        return inicial
