/* Visor: «Dibujar una propuesta aquí» abre el formulario de propuesta centrado en la vista actual.
 * El botón solo está si el rol puede crear propuestas (la plantilla lo omite para Consulta). */
(function () {
  "use strict";
  const boton = document.getElementById("btn-dibujar-propuesta");
  if (!boton || !window.Visor) return;
  boton.addEventListener("click", (evento) => {
    evento.preventDefault();
    const centro = window.Visor.mapa.getCenter();
    const zoom = Math.round(window.Visor.mapa.getZoom());
    const consulta = new URLSearchParams({ centro: `${centro.lng.toFixed(6)},${centro.lat.toFixed(6)}`, zoom: String(zoom) });
    window.location.href = `${boton.getAttribute("href")}?${consulta}`;
  });
})();
