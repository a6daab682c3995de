/* Visor: configuración, estado compartido, formatos es-CL y utilidades que usan los demás módulos.
 *
 * El mapa lo crea folium (script de la página); aquí se toma por su nombre. El estado inicial sale
 * de la configuración del servidor y, si la URL trae un permalink (#b=…&c=…), de él.
 */
(function () {
  "use strict";
  const raiz = document.getElementById("visor");
  const conf = JSON.parse(document.getElementById("visor-configuracion").textContent);
  const mapa = window[raiz.dataset.mapa];
  const eventos = new EventTarget();
  const porNombre = {};
  conf.capas.forEach((c) => { porNombre[c.nombre] = c; });

  const numeros = {};
  function numero(valor, decimales) {
    const d = decimales === undefined ? 2 : decimales;
    numeros[d] = numeros[d] || new Intl.NumberFormat("es-CL", { maximumFractionDigits: d, minimumFractionDigits: 0 });
    return numeros[d].format(valor);
  }
  function longitud(m) {
    return m < 1000 ? numero(m, m < 10 ? 1 : 0) + " m" : numero(m / 1000, m < 100000 ? 2 : 1) + " km";
  }
  function area(m2) {
    return m2 < 10000 ? numero(m2, 0) + " m²" : numero(m2 / 10000, 1) + " ha";
  }
  const RE_FECHA = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/;
  function legible(valor) {
    if (valor === null || valor === undefined || valor === "") return "";
    if (typeof valor === "number") return numero(valor, Number.isInteger(valor) ? 0 : 2);
    if (typeof valor === "boolean") return valor ? "Sí" : "No";
    const fecha = RE_FECHA.exec(String(valor));
    if (fecha && !fecha[4]) return `${fecha[3]}-${fecha[2]}-${fecha[1]}`;
    return String(valor);
  }
  function escapar(texto) {
    return String(texto).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  // proj4: del WGS 84 al huso UTM de la comuna (definición que entrega el servidor).
  const METRICO = "EPSG:" + conf.srid_metrico;
  window.proj4.defs(METRICO, conf.proj4);
  function aMetrico(latlng) { return window.proj4("EPSG:4326", METRICO, [latlng.lng, latlng.lat]); }
  function desdeMetrico(e, n) { const p = window.proj4(METRICO, "EPSG:4326", [e, n]); return L.latLng(p[1], p[0]); }

  // Estado: capas visibles, opacidad, filtros por capa ({nombre: [valores] | {min, max}}) y selección.
  const estado = { visibles: new Set(), opacidad: {}, filtros: {}, seleccion: null, extension: null };
  conf.capas.forEach((c) => { if (c.visible) estado.visibles.add(c.nombre); estado.filtros[c.nombre] = {}; });

  function leerPermalink() {
    const hash = window.location.hash.replace(/^#/, "");
    if (!hash) return false;
    const p = new URLSearchParams(hash);
    if (p.has("c")) {
      estado.visibles = new Set(p.get("c").split(",").filter((n) => porNombre[n]));
    }
    if (p.has("b")) {
      const b = p.get("b").split(",").map(Number);
      if (b.length === 4 && b.every(Number.isFinite)) estado.extension = b;
    }
    if (p.has("s")) {
      const [capa, id] = p.get("s").split(":");
      if (porNombre[capa] && id) estado.seleccion = { capa, id };
    }
    p.forEach((valor, clave) => {
      const m = /^([a-z][a-z0-9_-]*)\.f_(.+)$/.exec(clave);
      if (!m || !porNombre[m[1]]) return;
      const filtro = (porNombre[m[1]].filtros || []).find((f) => m[2] === f.nombre || m[2] === f.nombre + "_min" || m[2] === f.nombre + "_max");
      if (!filtro) return;
      const propios = estado.filtros[m[1]];
      if (filtro.tipo === "rango") {
        propios[filtro.nombre] = propios[filtro.nombre] || {};
        propios[filtro.nombre][m[2].endsWith("_min") ? "min" : "max"] = valor;
      } else {
        propios[filtro.nombre] = valor.split(",").filter(Boolean);
      }
    });
    const o = p.get("o");
    if (o) o.split(",").forEach((par) => { const [n, v] = par.split(":"); if (porNombre[n]) estado.opacidad[n] = Number(v); });
    return true;
  }

  // Parámetros f_* de los filtros activos de una capa (contrato 1), con prefijo opcional «capa.».
  function parametrosFiltro(nombre, prefijo) {
    const salida = [];
    const pre = prefijo ? nombre + "." : "";
    const propios = estado.filtros[nombre] || {};
    Object.keys(propios).forEach((f) => {
      const v = propios[f];
      if (Array.isArray(v)) { if (v.length) salida.push([`${pre}f_${f}`, v.join(",")]); return; }
      if (v.min !== undefined && v.min !== "") salida.push([`${pre}f_${f}_min`, v.min]);
      if (v.max !== undefined && v.max !== "") salida.push([`${pre}f_${f}_max`, v.max]);
    });
    return salida;
  }

  // Metros por píxel en el centro del mapa (o en una latitud) al zoom actual.
  function metrosPorPixel(lat) {
    const l = lat === undefined ? mapa.getCenter().lat : lat;
    return 40075016.686 * Math.cos((l * Math.PI) / 180) / Math.pow(2, mapa.getZoom() + 8);
  }

  async function pedirJSON(url) {
    const r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!r.ok) {
      let mensaje = `Error ${r.status}`;
      try { mensaje = (await r.json()).description || mensaje; } catch (e) { /* cuerpo no JSON */ }
      throw new Error(mensaje);
    }
    return r.json();
  }

  function bboxALimites(b) { return L.latLngBounds([b[1], b[0]], [b[3], b[2]]); }
  // Márgenes para acercar: lo que tapan el panel de capas (izquierda) y la tabla (abajo), si están abiertos.
  function margenes() {
    const caja = raiz.querySelector(".visor-area").getBoundingClientRect();
    const panel = document.getElementById("panel-capas");
    const tabla = document.getElementById("panel-tabla");
    const izquierda = panel.hidden || window.innerWidth <= 700 ? 20 : panel.getBoundingClientRect().right - caja.left + 20;
    const abajo = tabla.hidden ? 20 : caja.bottom - tabla.getBoundingClientRect().top + 20;
    return { paddingTopLeft: [izquierda, 20], paddingBottomRight: [20, abajo], maxZoom: 18 };
  }
  function acercar(b, zoomPunto) {
    let limites = bboxALimites(b);
    // Un punto: una caja de ~60 m a su alrededor (zoom ~17 en la comuna).
    if (limites.getNorthEast().equals(limites.getSouthWest())) limites = limites.getCenter().toBounds(zoomPunto ? 60 : 120);
    mapa.fitBounds(limites, margenes());
  }

  // Resalta un elemento (geometría de su ficha OGC API) y opcionalmente lo acerca; guarda la selección.
  const resaltado = L.featureGroup().addTo(mapa);
  mapa.createPane("visor-resaltado").style.zIndex = 640;
  async function seleccionar(capa, id, opciones) {
    const o = opciones || {};
    estado.seleccion = capa ? { capa, id: String(id) } : null;
    resaltado.clearLayers();
    emitir("estado");
    if (!capa) return;
    let feature;
    try {
      feature = await pedirJSON(`/ogcapi/collections/${encodeURIComponent(capa)}/items/${encodeURIComponent(id)}?f=json`);
    } catch (error) {
      // Un permalink viejo puede nombrar un elemento borrado: se avisa y se deja sin selección.
      estado.seleccion = null;
      emitir("estado");
      emitir("aviso", { texto: `No se encontró el elemento seleccionado: ${error.message}` });
      return;
    }
    if (!estado.seleccion || estado.seleccion.capa !== capa || estado.seleccion.id !== String(id)) return;
    L.geoJSON(feature, {
      pane: "visor-resaltado",
      style: { color: "#ffea00", weight: 5, opacity: 0.95, fillOpacity: 0.1, fillColor: "#ffea00" },
      pointToLayer: (f, ll) => L.circleMarker(ll, { pane: "visor-resaltado", radius: 10 }),
      interactive: false,
    }).addTo(resaltado);
    if (o.acercar) {
      const l = resaltado.getBounds();
      if (l.isValid()) acercar([l.getWest(), l.getSouth(), l.getEast(), l.getNorth()]);
    }
    emitir("seleccion", { capa, id });
  }

  function emitir(nombre, detalle) { eventos.dispatchEvent(new CustomEvent(nombre, { detail: detalle })); }
  function escuchar(nombre, fn) { eventos.addEventListener(nombre, (e) => fn(e.detail)); }

  // Paneles: un botón con data-alternar muestra u oculta el panel; en teléfono, uno a la vez.
  function alternarPanel(id, mostrar) {
    const panel = document.getElementById(id);
    const ver = mostrar === undefined ? panel.hidden : mostrar;
    if (ver && window.innerWidth <= 700) {
      document.querySelectorAll(".visor-panel").forEach((p) => { if (p.id !== id) p.hidden = true; });
    }
    panel.hidden = !ver;
    document.querySelectorAll(`[data-alternar="${id}"][aria-controls]`).forEach((b) => b.setAttribute("aria-expanded", String(ver)));
  }
  document.addEventListener("click", (e) => {
    const boton = e.target.closest("[data-alternar]");
    if (boton) alternarPanel(boton.dataset.alternar);
  });
  // En teléfono el panel de capas abre cerrado: primero se ve el mapa.
  if (window.innerWidth <= 700) alternarPanel("panel-capas", false);

  // Pantalla completa (complemento de folium): todo el visor, con sus paneles, no solo el mapa. El
  // control lee la opción al usarse y la hereda del prototipo (folium no la fija en la instancia).
  if (L.Control.FullScreen) L.Control.FullScreen.prototype.options.fullscreenElement = raiz;

  const hayPermalink = leerPermalink();
  // Vista inicial sin animación: al quedar «listo» el visor ya está en su vista final (una animación
  // en curso terminaría después y pisaría cualquier movimiento que se haga entre medio).
  if (estado.extension) mapa.fitBounds(bboxALimites(estado.extension), { animate: false });
  else if (conf.extension) {
    // Sin permalink: la comuna entera, a la derecha del panel de capas si está abierto.
    const panel = document.getElementById("panel-capas");
    const izquierda = panel.hidden ? 10 : panel.getBoundingClientRect().right - raiz.getBoundingClientRect().left + 10;
    mapa.fitBounds(bboxALimites(conf.extension), {
      paddingTopLeft: [izquierda, 10], paddingBottomRight: [10, 10], animate: false,
    });
  }

  window.Visor = {
    conf, mapa, estado, porNombre, numero, longitud, area, legible, escapar, aMetrico, desdeMetrico,
    METRICO, parametrosFiltro, metrosPorPixel, pedirJSON, acercar, seleccionar, emitir, escuchar,
    alternarPanel, hayPermalink, capas: {},
  };
})();
