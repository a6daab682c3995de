"""El admin en español: las secciones de django-axes y pghistory sin palabras inglesas visibles."""

import re

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from tests.cuentas.conftest import texto_visible

# Palabras inglesas que aparecían en esas secciones (con límites de palabra, en el texto visible).
INGLES = re.compile(
    r"\b(Axes|Tracks?|References|event model|label|method|object|Access|Attempts?|Username|User Agent|"
    r"Status|Expiration|Back|Failed|Locked|Path|Remaining|Meta Data|Form Data|Events?|Pgh|"
    r"Get full name|Search)\b"
)


def test_secciones_de_terceros_en_espanol(registros_de_terceros, admin_client):
    proyecto = registros_de_terceros
    assert AccessAttempt.objects.exists() and AccessLog.objects.exists() and AccessFailureLog.objects.exists()
    urls = [
        "/admin/",
        "/admin/axes/",
        "/admin/axes/accessattempt/",
        f"/admin/axes/accessattempt/{AccessAttempt.objects.first().pk}/change/",
        "/admin/axes/accesslog/",
        f"/admin/axes/accesslog/{AccessLog.objects.first().pk}/change/",
        "/admin/axes/accessfailurelog/",
        f"/admin/axes/accessfailurelog/{AccessFailureLog.objects.first().pk}/change/",
        "/admin/nucleo/historial/",
        f"/admin/nucleo/historial/?method=tracks&obj=proyectos.Proyecto:{proyecto.pk}",
        "/admin/nucleo/historial/?model=proyectos.Proyecto&back=/admin/",
        "/admin/auth/user/",
    ]
    for url in urls:
        respuesta = admin_client.get(url)
        assert respuesta.status_code == 200, url
        texto = texto_visible(respuesta.content.decode())
        assert not INGLES.findall(texto), (url, sorted(set(INGLES.findall(texto))))
    indice = texto_visible(admin_client.get("/admin/").content.decode())
    assert "Intentos de ingreso" in indice and "Historial de cambios" in indice
    historial = texto_visible(admin_client.get(urls[9]).content.decode())
    assert "Proyecto «Sede vecinal»" in historial and "cambios del registro" in historial
    assert "proyectos.Proyecto" not in historial  # el registro por su nombre, no por su etiqueta


def test_la_ficha_de_una_cuenta_explica_el_acceso_sin_casilla_de_staff(planificador, admin_client):
    html = admin_client.get(f"/admin/auth/user/{planificador.pk}/change/").content.decode()
    assert 'name="is_staff"' not in html and 'name="groups"' not in html
    texto = texto_visible(html)
    assert "lo da el rol" in texto and "Planificador" in texto
    assert admin_client.get("/admin/auth/user/add/").status_code == 403


def test_los_roles_se_ven_en_espanol_y_no_se_editan_a_mano(roles, admin_client):
    from django.contrib.auth.models import Group

    planificador = Group.objects.get(name="Planificador")
    respuesta = admin_client.get(f"/admin/auth/group/{planificador.pk}/change/")
    texto = texto_visible(respuesta.content.decode())
    texto = re.sub(r"\s+", " ", texto).replace(" :", ":")
    assert respuesta.status_code == 200 and "Proyecto: ver, crear, modificar, eliminar" in texto
    assert "Historial de cambios (eventos): ver" in texto and "Activo event" not in texto
    assert "Can add" not in texto and 'name="permissions"' not in respuesta.content.decode()
    assert admin_client.get("/admin/auth/group/add/").status_code == 403


def test_la_cola_de_trabajos_en_espanol(planificador, admin_client):
    from procrastinate.contrib.django.models import ProcrastinateJob

    from capas.importacion.trabajo import TIPO
    from capas.trabajos.services import trabajo_crear

    trabajo_crear(
        tipo=TIPO.nombre, parametros={"ruta": "no-existe.geojson"}, usuario=planificador, encolar=True
    )
    en_cola = ProcrastinateJob.objects.get()
    for url in (
        "/admin/",
        "/admin/procrastinate/procrastinatejob/",
        f"/admin/procrastinate/procrastinatejob/{en_cola.pk}/change/",
    ):
        respuesta = admin_client.get(url)
        assert respuesta.status_code == 200, url
        texto = texto_visible(respuesta.content.decode())
        ingles = re.findall(
            r"\b(Procrastinate|jobs?|Status|Task|Args|Summary|Queue|Lock|Priority|Attempts|Retry|Cancel|Abort|ago)\b",
            texto,
        )
        assert not ingles, (url, sorted(set(ingles)))
    lista = texto_visible(admin_client.get("/admin/procrastinate/procrastinatejob/").content.decode())
    assert "Cola de trabajos" in lista and "en cola" in lista and "encolado" in lista
