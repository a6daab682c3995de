/* Carga de capas con barra de progreso real (XMLHttpRequest upload.onprogress), sin librerías.
   Sin JavaScript el formulario se envía igual. Con él: si el servidor encoló la importación (303 a la
   página del trabajo) se va a esa página; si el formulario tiene errores, la respuesta reemplaza el
   <main> de esta. */
"use strict";

(function () {
  function enlazar() {
    const formulario = document.getElementById("formulario-importar");
    if (!formulario) {
      return;
    }
    formulario.addEventListener("submit", function (evento) {
      evento.preventDefault();
      const barra = document.getElementById("progreso-subida");
      const estado = document.getElementById("estado-subida");
      const boton = formulario.querySelector("button[type=submit]");
      const peticion = new XMLHttpRequest();
      peticion.open("POST", formulario.action);
      peticion.responseType = "document";
      peticion.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      peticion.upload.onprogress = function (avance) {
        if (avance.lengthComputable) {
          barra.max = avance.total;
          barra.value = avance.loaded;
          estado.textContent = "Subiendo… " + Math.round((100 * avance.loaded) / avance.total) + " %";
        }
      };
      peticion.upload.onload = function () {
        // Subido: el servidor valida y encola; la barra pasa a indeterminada.
        barra.removeAttribute("value");
        estado.textContent = "Archivo recibido; validando…";
      };
      peticion.onload = function () {
        if (peticion.responseURL && new URL(peticion.responseURL).pathname !== new URL(formulario.action).pathname) {
          // Se siguió la redirección a la página del trabajo: se navega a ella (muestra el avance).
          window.location.assign(peticion.responseURL);
          return;
        }
        const principal = peticion.response && peticion.response.querySelector("main");
        if (!principal) {
          estado.textContent = "Respuesta inesperada del servidor (código " + peticion.status + ").";
          boton.disabled = false;
          return;
        }
        document.querySelector("main").replaceWith(document.importNode(principal, true));
        enlazar();
      };
      peticion.onerror = function () {
        estado.textContent = "No se pudo enviar el archivo: revise la conexión e intente de nuevo.";
        boton.disabled = false;
      };
      barra.hidden = false;
      boton.disabled = true;
      peticion.send(new FormData(formulario));
    });
  }
  document.addEventListener("DOMContentLoaded", enlazar);
})();
