"""Rutas del ordenamiento: propuestas (ficha, edición, flujo, comparación), zonas, informe y restricciones."""

from django.urls import path

from apps.ordenamiento import edicion, views, vistas_flujo
from apps.ordenamiento.cauces import views as cauces
from apps.ordenamiento.informe import views as informe
from apps.ordenamiento.zonas import edicion as edicion_zonas
from apps.ordenamiento.zonas import views as zonas

app_name = "ordenamiento"
urlpatterns = [
    path("propuestas/", views.propuestas_lista, name="propuestas_lista"),
    path("propuestas/exportar/", views.propuestas_exportar, name="propuestas_exportar"),
    path("propuestas/<int:pk>/", views.propuesta_ficha, name="propuesta_ficha"),
    # Informe de superposición (apps/ordenamiento/informe/): página, PDF encolado y su descarga.
    path("propuestas/<int:pk>/informe/", informe.propuesta_informe, name="propuesta_informe"),
    path("analisis/", informe.analisis, name="analisis"),
    path("analisis/imprimir/", informe.imprimir, name="informe_imprimir"),
    path("propuestas/<int:pk>/etapas/<int:etapa>/imprimir/", informe.etapa_imprimir, name="etapa_imprimir"),
    path("informes/<int:pk>/<str:formato>/", informe.descargar, name="informe_descargar"),
    path(
        "propuestas/<int:pk>/flujo/<slug:accion>/",
        vistas_flujo.propuesta_transicion,
        name="propuesta_transicion",
    ),
    path("propuestas/<int:pk>/comparar/", vistas_flujo.propuesta_comparar, name="propuesta_comparar"),
    path("restricciones/franja-cauces/", cauces.franja_cauces, name="franja_cauces"),
]

# Crear, editar y eliminar (apps/ordenamiento/edicion.py).
urlpatterns += edicion.urlpatterns

# Zonificación (apps/ordenamiento/zonas/).
urlpatterns += [
    path("zonas/", zonas.zonas_lista, name="zonas_lista"),
    path("zonas/exportar/", zonas.zonas_exportar, name="zonas_exportar"),
    path("zonas/importar/", zonas.zonas_importar, name="zonas_importar"),
    path("zonas/importar/<int:pk>/campos/", zonas.zonas_importar_mapeo, name="zonas_importar_mapeo"),
    path("zonas/<int:pk>/", zonas.zona_ficha, name="zona_ficha"),
    path("zonas/<int:pk>/usos/", zonas.zona_usos, name="zona_usos"),
    *edicion_zonas.urlpatterns,
]
