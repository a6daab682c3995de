"""Rutas del ordenamiento: propuestas (lista, ficha, edición, flujo, comparación), informe y restricciones."""

from django.urls import path

from apps.ordenamiento import edicion, views, vistas_flujo
from apps.ordenamiento.cauces import views as cauces
from apps.ordenamiento.informe import views as informe

app_name = "ordenamiento"
urlpatterns = [
    path("propuestas/", views.propuestas_lista, name="propuestas_lista"),
    path("propuestas/exportar/", views.propuestas_exportar, name="propuestas_exportar"),
    path("propuestas/<int:pk>/", views.propuesta_ficha, name="propuesta_ficha"),
    # Informe de superposición (apps/ordenamiento/informe/): página, PDF encolado y su descarga.
    path("propuestas/<int:pk>/informe/", informe.propuesta_informe, name="propuesta_informe"),
    path("analisis/", informe.analisis, name="analisis"),
    path("analisis/imprimir/", informe.imprimir, name="informe_imprimir"),
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
