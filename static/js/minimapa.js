/* Mapa chico de fichas y tablero: agrega al mapa de folium las capas de contexto (comuna, localidades,
 * referencias) y las de dominio que pide al motor de capas, y el registro de la ficha resaltado.
 * La configuración llega en <script type="application/json" id="minimapa-config">.
 */
(function () {
  "use strict";
  const nodo = document.getElementById("minimapa-config");
  if (!nodo) return;
  const conf = JSON.parse(nodo.textContent);
  const mapa = window[conf.mapa];
  if (!mapa) return;
  const esc = (t) => String(t == null ? "" : t).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  function estiloDe(estilo, props) {
    if (!estilo) return {};
    if (!estilo.base) return estilo;
    let propio = estilo.base;
    const valor = props ? props[estilo.campo] : undefined;
    if (estilo.categorias && valor != null && estilo.categorias[valor]) propio = estilo.categorias[valor];
    (estilo.rangos || []).forEach((r) => {
      if (valor != null && Number(valor) >= r.min && (r.max == null || Number(valor) < r.max)) propio = r.estilo;
    });
    return propio;
  }

  function capaGeoJSON(datos, estilo, pane, enlace, titulo) {
    return L.geoJSON(datos, {
      pane: pane,
      style: (f) => estiloDe(estilo, f.properties),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, Object.assign({ radius: 6, pane: pane }, estiloDe(estilo, f.properties))),
      onEachFeature: (f, capa) => {
        const p = f.properties || {};
        const nombre = p.nombre || p.titulo || titulo || "";
        if (nombre) capa.bindTooltip(esc(nombre));
        if (enlace && f.id != null) capa.bindPopup(`<a href="${esc(enlace.replace("{id}", f.id))}">${esc(nombre || "Ver ficha")}</a>`);
      },
    });
  }

  L.control.scale({ imperial: false }).addTo(mapa);
  const contexto = mapa.createPane("minimapa-contexto");
  contexto.style.zIndex = 350;
  contexto.style.pointerEvents = "none";
  mapa.createPane("minimapa-dominio").style.zIndex = 420;
  mapa.createPane("minimapa-registro").style.zIndex = 450;
  const control = window.minimapaControl || L.control.layers(null, null, { collapsed: true, position: "topright" }).addTo(mapa);

  const pedir = (url) => fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  const pendientes = [];
  conf.contexto.forEach((c) => pendientes.push(pedir(c.geojson).then((d) => {
    if (d && d.features && d.features.length) capaGeoJSON(d, c.estilo, "minimapa-contexto", null, c.titulo).addTo(mapa);
  })));
  conf.capas.forEach((c) => pendientes.push(pedir(c.geojson).then((d) => {
    if (!d) return;
    const capa = capaGeoJSON(d, c.estilo, "minimapa-dominio", c.enlace, c.titulo).addTo(mapa);
    control.addOverlay(capa, esc(c.titulo));
  })));
  if (conf.elementos.features.length) {
    const registro = L.geoJSON(conf.elementos, {
      pane: "minimapa-registro",
      style: (f) => f.properties.estilo || (f.properties.principal ? { color: "#c0392b", weight: 3, fillColor: "#e74c3c", fillOpacity: 0.25 } : { color: "#1f4e5f", weight: 2, fillColor: "#2c6d84", fillOpacity: 0.15 }),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, f.properties.principal
        ? { radius: 9, color: "#fff", weight: 2, fillColor: "#c0392b", fillOpacity: 1, pane: "minimapa-registro" }
        : { radius: 6, color: "#fff", weight: 1, fillColor: "#1f4e5f", fillOpacity: 0.9, pane: "minimapa-registro" }),
      onEachFeature: (f, capa) => {
        const p = f.properties;
        capa.bindTooltip(esc(p.titulo));
        if (p.url && !p.principal) capa.bindPopup(`<a href="${esc(p.url)}">${esc(p.titulo)}</a>`);
      },
    }).addTo(mapa);
    control.addOverlay(registro, "Este registro y sus vinculados");
  }
  Promise.all(pendientes).then(() => { document.getElementById("minimapa").dataset.listo = "1"; });
})();
