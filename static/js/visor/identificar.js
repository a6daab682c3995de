/* Visor: identificar. Un clic pregunta al servidor (/capas/identificar/) qué hay bajo el punto en
 * todas las capas visibles, sean GeoJSON o teselas MVT, y muestra sus atributos legibles con el
 * enlace a la ficha. La tolerancia son unos píxeles llevados a metros según el zoom.
 */
(function () {
  "use strict";
  const V = window.Visor;
  const { conf, mapa } = V;
  const PIXELES = 8;

  function tablaElemento(capa, columnas, elemento) {
    const filas = columnas
      .filter((c) => elemento.atributos[c.nombre] !== null && elemento.atributos[c.nombre] !== undefined && elemento.atributos[c.nombre] !== "")
      .map((c) => `<tr><th>${V.escapar(c.titulo)}</th><td>${V.escapar(V.legible(elemento.atributos[c.nombre]))}</td></tr>`)
      .join("");
    return `<table>${filas}</table>
      <a class="ficha" href="${V.escapar(elemento.enlace)}" target="_blank" rel="noopener">Ver ficha</a>
      <button type="button" class="btn btn-link btn-sm p-0 ms-2" data-sel-capa="${V.escapar(capa)}" data-sel-id="${V.escapar(elemento.id)}">Seleccionar</button>`;
  }

  async function identificar(latlng) {
    const capas = V.visiblesEnOrden();
    if (!capas.length) return;
    const tolerancia = Math.max(1, PIXELES * V.metrosPorPixel(latlng.lat));
    const p = new URLSearchParams([
      ["lon", latlng.lng.toFixed(7)], ["lat", latlng.lat.toFixed(7)], ["capas", capas.join(",")],
      ["tolerancia_m", tolerancia.toFixed(1)],
      ...capas.flatMap((n) => V.parametrosFiltro(n, true)),
    ]);
    let datos;
    try {
      datos = await V.pedirJSON(`${conf.urls.identificar}?${p}`);
    } catch (error) {
      L.popup().setLatLng(latlng).setContent(`<p class="error">${V.escapar(error.message)}</p>`).openOn(mapa);
      return;
    }
    if (!datos.capas.length) {
      mapa.closePopup();
      return;
    }
    const html = datos.capas.map((c) => `<h3>${V.escapar(c.titulo)}</h3>` +
      c.elementos.map((e) => tablaElemento(c.capa, c.columnas, e)).join("<hr>")).join("");
    L.popup({ maxWidth: 340, autoPanPadding: [20, 20], className: "popup-identificar" })
      .setLatLng(latlng)
      .setContent(`<div class="identificar">${html}</div>`)
      .openOn(mapa);
  }

  mapa.on("click", (e) => { if (!V.midiendo) identificar(e.latlng); });
  mapa.getContainer().addEventListener("click", (e) => {
    const b = e.target.closest("[data-sel-capa]");
    if (b) V.seleccionar(b.dataset.selCapa, b.dataset.selId, { acercar: true });
  });
  V.identificar = identificar;
})();
