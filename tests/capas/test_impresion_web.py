"""«Imprimir» por la web: POST validado → trabajo en la cola real → PDF y PNG solo para su dueño."""

import io
import re

import numpy as np
import pytest
import requests
from django.test import Client
from PIL import Image

from capas.trabajos.models import EstadoTrabajo, Trabajo
from tests.capas.hojas_impresas import color_mezclado, pagina_como_imagen, texto_pdf
from tests.conftest import _entorno_servidor, gunicorn_levantado, ingresar, usuario_de_servidor

# Casi toda Teodoro Schmidt (sin su extremo sur), lon/lat WGS 84.
BBOX_COMUNA = "-73.45,-39.20,-72.85,-38.85"
PERMALINK = "http://127.0.0.1:8000/mapa/#bbox=-73.45,-39.20,-72.85,-38.85&capas=inmuebles,comunas"


def pedir(cliente, **cambios):
    """Envía el formulario de impresión con valores válidos y los ``cambios``."""
    datos = {
        "titulo": "Bienes municipales de la comuna",
        "bbox": BBOX_COMUNA,
        "capas": "proyectos-lineas,inmuebles,comunas",
        "permalink": PERMALINK,
        "formato": "a4-horizontal",
    }
    datos.update(cambios)
    return cliente.post("/capas/imprimir/", {k: v for k, v in datos.items() if v is not None})


@pytest.mark.django_db(transaction=True)
def test_imprimir_deja_pdf_y_png_con_titulo_capas_leyenda_fecha_y_enlace(
    trabajador, datos, comuna, planificador, django_user_model, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    planificador.first_name, planificador.last_name = "Ana", "Pérez"
    planificador.save()
    cliente = Client(enforce_csrf_checks=True)
    cliente.force_login(planificador)
    # Sin la ficha CSRF el POST no pasa.
    assert pedir(cliente).status_code == 403
    formulario = cliente.get("/capas/imprimir/?titulo=Desde+el+visor&f_etapa=diseno&f_etapa=ejecucion")
    html = formulario.content.decode()
    assert formulario.status_code == 200 and 'value="Desde el visor"' in html
    ocultos = re.findall(r'<input type="hidden" name="(f_[a-z_]+)" value="([^"]*)">', html)
    assert ocultos == [("f_etapa", "diseno"), ("f_etapa", "ejecucion")]
    ficha = formulario.cookies["csrftoken"].value
    respuesta = cliente.post(
        "/capas/imprimir/",
        {
            "csrfmiddlewaretoken": ficha,
            "titulo": "Bienes municipales de la comuna",
            "bbox": ",".join(f"{v:.6f}" for v in comuna.limite.extent),
            "capas": "proyectos-lineas,inmuebles,comunas",
            "permalink": PERMALINK,
        },
    )
    assert respuesta.status_code == 303
    # (La demo deja además la preparación de sus capas de restricción en la cola.)
    trabajo = Trabajo.objects.get(tipo="impresion")
    assert respuesta["Location"] == f"/capas/trabajos/{trabajo.pk}/"
    assert trabajo.parametros["autor"] == "Ana Pérez" and trabajo.parametros["formato"] == "a4-horizontal"

    trabajador()
    trabajo.refresh_from_db()
    assert trabajo.estado == EstadoTrabajo.TERMINADO, trabajo.error
    assert trabajo.resultado["srid"] == 5362
    assert {c["nombre"]: c["elementos"] > 0 for c in trabajo.resultado["capas"]} == {
        "proyectos-lineas": True,
        "inmuebles": True,
        "comunas": True,
    }
    pagina = cliente.get(f"/capas/trabajos/{trabajo.pk}/").content.decode()
    assert f"/capas/imprimir/{trabajo.pk}/pdf/" in pagina and f"/capas/imprimir/{trabajo.pk}/png/" in pagina
    assert trabajo.resultado["escala_texto"] == "1:300.000" and "Escala 1:300.000" in pagina

    pdf = cliente.get(f"/capas/imprimir/{trabajo.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert 'filename="bienes-municipales-de-la-comuna.pdf"' in pdf["Content-Disposition"]
    contenido = b"".join(pdf.streaming_content)
    texto = " ".join(texto_pdf(contenido).split())
    for esperado in (
        "Bienes municipales de la comuna",
        "Proyectos (líneas)",
        "Bienes inmuebles municipales",
        "Límite comunal",
        "Impreso el ",
        "por Ana Pérez",
        " de 20",
    ):
        assert esperado in texto
    assert PERMALINK in "".join(texto.split())
    assert "Ubicación en la comuna" not in texto, "la vista ya muestra la comuna entera"
    # Etiquetas de la leyenda (no códigos): las etapas de los proyectos lineales de la demo.
    from apps.proyectos.models import Proyecto

    etapas = dict(Proyecto._meta.get_field("etapa").flatchoices)
    presentes = {p.etapa for p in Proyecto.objects.all() if p.geom.geom_type.endswith("LineString")}
    assert presentes and all(str(etapas[e]) in texto for e in presentes)

    # Página renderizada: no en blanco, con el color del límite comunal (borde) y de los inmuebles.
    imagen = pagina_como_imagen(contenido)
    assert (imagen < 250).any(axis=2).mean() > 0.02
    borde = np.array([0x1F, 0x4E, 0x5F], dtype=float)
    assert (np.abs(imagen.astype(float) - borde).max(axis=2) < 20).sum() > 500
    png = cliente.get(f"/capas/imprimir/{trabajo.pk}/png/")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    foto = np.asarray(Image.open(io.BytesIO(b"".join(png.streaming_content))).convert("RGB")).astype(float)
    assert (np.abs(foto - borde).max(axis=2) < 20).sum() > 500
    inmuebles = next(c for c in datos.capas if c.nombre == "inmuebles").estilo.categorias
    assert any((np.abs(foto - color_mezclado(c.simbolo)).max(axis=2) < 10).sum() > 3 for c in inmuebles)

    # Otro usuario (con los mismos permisos) no descarga; un administrador sí.
    otra = django_user_model.objects.create_user(username="otra", password="clave-de-prueba-1")
    otra.user_permissions.set(planificador.groups.first().permissions.all())
    cliente.force_login(otra)
    assert cliente.get(f"/capas/imprimir/{trabajo.pk}/pdf/").status_code == 404
    assert cliente.get(f"/capas/imprimir/{trabajo.pk}/png/").status_code == 404
    jefa = django_user_model.objects.create_superuser(username="jefa", password="clave-de-prueba-1")
    cliente.force_login(jefa)
    assert cliente.get(f"/capas/imprimir/{trabajo.pk}/png/").status_code == 200


@pytest.mark.parametrize(
    ("cambios", "mensaje"),
    [
        ({"bbox": "-73.4,-39.1,-72.9"}, "bbox debe tener cuatro números"),
        ({"bbox": "a,b,c,d"}, "bbox no es numérico"),
        ({"bbox": "-72.9,-39.1,-73.4,-38.9"}, "bbox fuera de rango"),
        ({"bbox": "-73.1,-39.0,-73.0999999,-38.9999999"}, "demasiado chica"),
        ({"bbox": "-80,-45,-65,-30"}, "demasiado grande"),
        # Latitud y longitud intercambiadas: cae en el Antártico, lejos de la comuna.
        ({"bbox": "-39.1,-73.4,-38.9,-72.9"}, "no toca la comuna"),
        ({"titulo": ""}, "Escriba un título"),
        ({"titulo": "x" * 121}, "hasta 120 caracteres"),
        ({"capas": ""}, "al menos una capa"),
        ({"capas": "inmuebles,inmuebles"}, "dos veces"),
        ({"capas": "Inmuebles;DROP"}, "Nombre de capa inválido"),
        ({"formato": "carta"}, "Formato de hoja desconocido"),
    ],
)
def test_pedido_invalido_400_en_espanol_sin_trabajo(client, comuna, planificador, cambios, mensaje):
    client.force_login(planificador)
    respuesta = pedir(client, **cambios)
    assert respuesta.status_code == 400
    assert mensaje in respuesta.content.decode()
    assert not Trabajo.objects.exists()


def test_capa_ajena_o_inexistente_404_y_anonimo_al_ingreso(client, comuna, consulta, django_user_model):
    respuesta = client.post("/capas/imprimir/", {"titulo": "x", "bbox": BBOX_COMUNA, "capas": "comunas"})
    assert respuesta.status_code == 302 and respuesta["Location"].startswith("/ingresar/")
    sin_permisos = django_user_model.objects.create_user(username="vecina", password="clave-de-prueba-1")
    client.force_login(sin_permisos)
    # inmuebles exige patrimonio.view_bieninmueble: para ella no existe.
    respuesta = pedir(client, capas="comunas,inmuebles")
    assert respuesta.status_code == 404 and "No existe la capa «inmuebles»" in respuesta.content.decode()
    assert pedir(client, capas="no-existe").status_code == 404
    assert not Trabajo.objects.exists()
    # La pública sí se imprime.
    assert pedir(client, capas="comunas").status_code == 303


@pytest.mark.servidor
def test_imprimir_contra_el_servidor_de_produccion(trabajador, datos, estaticos, settings, tmp_path):
    """Como en producción: gunicorn (sin DEBUG) recibe el formulario y entrega el PDF que dejó el trabajo."""
    settings.MEDIA_ROOT = tmp_path / "media"
    usuario_de_servidor("imprime", "clave-de-imprenta-9")
    entorno = {**_entorno_servidor(estaticos), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    with gunicorn_levantado(entorno, tmp_path / "gunicorn.log") as url:
        sesion = requests.Session()
        assert ingresar(sesion, url, "imprime", "clave-de-imprenta-9").status_code in (200, 302)
        formulario = sesion.get(f"{url}/capas/imprimir/", timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', formulario.text).group(1)
        respuesta = sesion.post(
            f"{url}/capas/imprimir/",
            data={
                "csrfmiddlewaretoken": token,
                "titulo": "Desde gunicorn",
                "bbox": BBOX_COMUNA,
                "capas": "inmuebles,comunas",
                "permalink": PERMALINK,
            },
            headers={"Referer": f"{url}/capas/imprimir/"},
            allow_redirects=False,
            timeout=10,
        )
        assert respuesta.status_code == 303, respuesta.text
        trabajador()
        pagina = sesion.get(url + respuesta.headers["Location"], timeout=10)
        assert "Descargar PDF" in pagina.text
        enlace = re.search(r'href="(/capas/imprimir/\d+/pdf/)"', pagina.text).group(1)
        pdf = sesion.get(url + enlace, timeout=10)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert "Desde gunicorn" in texto_pdf(pdf.content)
        assert requests.get(url + enlace, timeout=10, allow_redirects=False).status_code in (302, 404)


def test_filtros_sin_capas_filtros_se_rechazan_en_vez_de_imprimir_otra_cosa(client, comuna, planificador):
    """Mientras no exista capas.filtros (contrato 1), un pedido con f_* no imprime un mapa sin filtrar."""
    import importlib.util

    if importlib.util.find_spec("capas.filtros") is not None:
        pytest.skip("capas.filtros ya existe: los f_* se validan con capas.filtros.condicion")
    client.force_login(planificador)
    respuesta = client.post(
        "/capas/imprimir/",
        {"titulo": "Con filtro", "bbox": BBOX_COMUNA, "capas": "proyectos-puntos", "f_etapa": "diseno"},
    )
    assert respuesta.status_code == 400 and "aún no aplica filtros" in respuesta.content.decode()
    assert not Trabajo.objects.exists()
