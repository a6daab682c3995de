"""Ayuda de pruebas: lee un formulario del admin tal como lo recibe el navegador."""

from html.parser import HTMLParser


class _LectorFormulario(HTMLParser):
    """Junta los valores iniciales de inputs, selects y textareas del formulario principal."""

    def __init__(self):
        super().__init__()
        self.datos, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        nombre = a.get("name")
        if tag == "input" and nombre and a.get("type") not in ("submit", "checkbox", "file"):
            self.datos[nombre] = a.get("value", "")
        elif tag == "input" and nombre and a.get("type") == "checkbox" and "checked" in a:
            self.datos[nombre] = "on"
        elif tag == "select" and nombre:
            self._select = nombre
            self.datos.setdefault(nombre, "")
        elif tag == "option" and self._select and "selected" in a:
            self.datos[self._select] = a.get("value", "")
        elif tag == "textarea" and nombre:
            self._textarea = nombre
            self.datos[nombre] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.datos[self._textarea] += data.strip()


def formulario_admin(client, url, **cambios) -> dict:
    """Devuelve los datos del formulario en ``url`` (GET) con ``cambios`` aplicados."""
    respuesta = client.get(url)
    assert respuesta.status_code == 200, respuesta.status_code
    lector = _LectorFormulario()
    lector.feed(respuesta.content.decode())
    datos = {k: v for k, v in lector.datos.items() if not k.startswith("_")}
    datos.update(cambios)
    return datos
