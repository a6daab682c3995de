/* Visor: «Dibujar una propuesta aquí» y «Analizar un polígono aquí» abren su formulario centrado en
 * la vista actual (?centro=lon,lat&zoom=z). Cada botón está solo si el rol puede usarlo (la plantilla
 * omite el de propuestas para Consulta). */
(function () {
  "use strict";
  if (!window.Visor) return;
  ["btn-dibujar-propuesta", "btn-analizar-poligono"].forEach((id) => {
    const boton = document.getElementById(id);
    if (!boton) return;
    boton.addEventListener("click", (evento) => {
      evento.preventDefault();
      const centro = window.Visor.mapa.getCenter();
      const zoom = Math.round(window.Visor.mapa.getZoom());
      const consulta = new URLSearchParams({ centro: `${centro.lng.toFixed(6)},${centro.lat.toFixed(6)}`, zoom: String(zoom) });
      window.location.href = `${boton.getAttribute("href")}?${consulta}`;
    });
  });
})();
