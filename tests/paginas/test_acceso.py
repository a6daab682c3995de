"""Acceso a las páginas de lectura: sin permiso de ver, 403 en español; Consulta lee sin herramientas."""

import pytest

LISTAS = [
    "/proyectos/",
    "/patrimonio/inmuebles/",
    "/patrimonio/activos/",
    "/patrimonio/concesiones/",
    "/ordenamiento/propuestas/",
]


@pytest.mark.parametrize("lista", LISTAS)
def test_sin_rol_cada_lista_y_su_exportacion_responden_403(client, django_user_model, roles, lista):
    client.force_login(django_user_model.objects.create_user(username="sin_rol", password="x-clave-1"))
    assert client.get(lista).status_code == 403
    assert client.get(f"{lista}exportar/", {"formato": "xlsx"}).status_code == 403


@pytest.mark.parametrize("lista", LISTAS)
def test_consulta_lee_cada_lista_sin_boton_nuevo(client, consulta, comuna, lista):
    client.force_login(consulta)
    respuesta = client.get(lista)
    assert respuesta.status_code == 200
    assert respuesta.context["url_crear"] is None
    assert ">Nuevo<" not in respuesta.content.decode()
    assert client.get(f"{lista}exportar/", {"formato": "csv"}).status_code == 200
