/* Página de un trabajo: consulta su estado en JSON cada segundo y actualiza la barra sin recargar;
   al terminar trae la página ya con el resultado y reemplaza el <main>. Sin JavaScript la página se
   recarga sola (meta refresh en <noscript>). */
"use strict";

(function () {
  const INTERVALO_MS = 1000;

  function consultar(tarjeta) {
    const barra = document.getElementById("progreso-trabajo");
    const avance = document.getElementById("avance-trabajo");
    const estado = document.getElementById("estado-trabajo");
    fetch(tarjeta.dataset.estadoUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (respuesta) {
        if (!respuesta.ok) {
          throw new Error("código " + respuesta.status);
        }
        return respuesta.json();
      })
      .then(function (datos) {
        estado.textContent = datos.estado_texto;
        if (datos.total && barra) {
          barra.max = datos.total;
          barra.value = datos.avance;
          avance.textContent = datos.avance + " de " + datos.total + (datos.porcentaje !== null ? " (" + datos.porcentaje + " %)" : "");
        }
        if (datos.terminal) {
          mostrarResultado();
        } else {
          window.setTimeout(function () { consultar(tarjeta); }, INTERVALO_MS);
        }
      })
      .catch(function (error) {
        if (avance) {
          avance.textContent = "No se pudo consultar el estado (" + error.message + "); se reintenta…";
        }
        window.setTimeout(function () { consultar(tarjeta); }, 3 * INTERVALO_MS);
      });
  }

  function mostrarResultado() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (respuesta) { return respuesta.text(); })
      .then(function (html) {
        const nuevo = new DOMParser().parseFromString(html, "text/html").querySelector("main");
        if (nuevo) {
          document.querySelector("main").replaceWith(document.importNode(nuevo, true));
        }
      })
      .catch(function () {
        // Sin red o sin servidor en ese instante: la página completa muestra el resultado.
        window.setTimeout(function () { window.location.reload(); }, 3 * INTERVALO_MS);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const tarjeta = document.getElementById("trabajo");
    if (tarjeta && tarjeta.dataset.estado !== "terminado" && tarjeta.dataset.estado !== "fallido") {
      window.setTimeout(function () { consultar(tarjeta); }, INTERVALO_MS);
    }
  });
})();
