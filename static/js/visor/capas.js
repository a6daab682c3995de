/* Visor: capas y su panel (grupos del registro, interruptor, opacidad, leyenda, extensión, filtros).
 *
 * Cada capa tiene su panel de Leaflet (z-index según el orden de para_visor: la primera arriba), así
 * la opacidad se aplica al panel y vale igual para GeoJSON y para teselas. El modo lo decide el
 * registro (Capa.modo): «geojson» pide /capas/<capa>.geojson?bbox= al mover el mapa; «teselas»
 * dibuja /tiles/<capa>/{z}/{x}/{y}.pbf con Leaflet.VectorGrid, sin eventos propios (el clic lo
 * resuelve identificar.js en el servidor: el de VectorGrid no llega con Leaflet ≥ 1.8, #274).
 */
(function () {
  "use strict";
  const V = window.Visor;
  const { conf, mapa, estado } = V;
  const total = conf.capas.length;

  function estiloDe(capa, props) {
    const e = capa.estilo;
    const valor = e.campo && props ? props[e.campo] : undefined;
    if (valor === undefined || valor === null) return e.base;
    // Graduado (mapas temáticos): la clase cuyo rango [min, max) contiene el valor; la última sin tope.
    if (e.rangos && e.rangos.length) {
      const r = e.rangos.find((r) => valor >= r.min && (r.max === null || valor < r.max));
      return r ? r.estilo : e.base;
    }
    return e.categorias[String(valor)] || e.base;
  }
  function opcionesTrazo(s) {
    return { color: s.color, weight: s.weight, fillColor: s.fillColor, fillOpacity: s.fillOpacity, opacity: 1 };
  }
  const esPunto = (capa) => /Point/.test(capa.tipo_geometria);
  const esLinea = (capa) => /LineString/.test(capa.tipo_geometria);

  // Lienzo (canvas) y no SVG: miles de polígonos se pintan en un solo elemento, sin un nodo del DOM
  // por elemento (medido en bench/visor.py). Nada necesita eventos por elemento: identificar va al servidor.
  function capaGeoJSON(capa, pane) {
    const renderer = L.canvas({ pane });
    const capaL = L.geoJSON(null, {
      pane,
      renderer,
      interactive: false,
      style: (f) => opcionesTrazo(estiloDe(capa, f.properties)),
      pointToLayer: (f, ll) => {
        const s = estiloDe(capa, f.properties);
        return L.circleMarker(ll, { ...opcionesTrazo(s), radius: s.radius, fillOpacity: Math.max(s.fillOpacity, 0.8), pane, renderer });
      },
    });
    let control = null;
    async function recargar() {
      if (!mapa.hasLayer(capaL)) return;
      if (control) control.abort();
      control = new AbortController();
      const l = mapa.getBounds().pad(0.2);
      const b = [Math.max(l.getWest(), -180), Math.max(l.getSouth(), -90), Math.min(l.getEast(), 180), Math.min(l.getNorth(), 90)];
      // Medio píxel en grados: lo dibujado no cambia a la vista y viajan solo los vértices que se ven.
      const simplificar = Math.min(Math.max((l.getEast() - l.getWest()) / mapa.getSize().x / 2 / 1.4, 1e-6), 0.1);
      const p = new URLSearchParams([
        ["bbox", b.map((v) => v.toFixed(6)).join(",")], ["simplificar", simplificar.toPrecision(2)],
        ...V.parametrosFiltro(capa.nombre),
      ]);
      try {
        const r = await fetch(`${capa.geojson}?${p}`, { credentials: "same-origin", signal: control.signal });
        if (!r.ok) throw new Error(`GeoJSON ${capa.nombre}: ${r.status}`);
        const datos = await r.json();
        capaL.clearLayers();
        capaL.addData(datos);
        capaL.cargada = true;
        capaL.elementos = datos.features.length;
        V.emitir("capa-dibujada", { capa: capa.nombre, elementos: datos.features.length });
      } catch (error) {
        if (error.name !== "AbortError") V.emitir("aviso", { texto: `No se pudo leer «${capa.titulo}»: ${error.message}` });
      }
    }
    mapa.on("moveend", recargar);
    capaL.on("add", recargar);
    capaL.recargar = recargar;
    return capaL;
  }

  function capaTeselas(capa, pane) {
    const estilos = {};
    estilos[capa.nombre] = (props) => {
      const s = estiloDe(capa, props);
      const o = opcionesTrazo(s);
      if (esPunto(capa)) return { ...o, radius: s.radius, fill: true, fillOpacity: Math.max(s.fillOpacity, 0.8) };
      return { ...o, fill: !esLinea(capa) };
    };
    const capaL = L.vectorGrid.protobuf(capa.mvt, {
      pane,
      interactive: false,
      maxNativeZoom: conf.zoom_maximo_teselas,
      vectorTileLayerStyles: estilos,
      rendererFactory: L.canvas.tile,
    });
    capaL.on("load", () => { capaL.cargada = true; V.emitir("capa-dibujada", { capa: capa.nombre }); });
    capaL.recargar = () => capaL.redraw();
    return capaL;
  }

  // Capas de Leaflet, de arriba abajo.
  conf.capas.forEach((capa, i) => {
    const pane = "capa-" + capa.nombre;
    mapa.createPane(pane).style.zIndex = String(400 + (total - i));
    const capaL = capa.modo === "teselas" ? capaTeselas(capa, pane) : capaGeoJSON(capa, pane);
    capaL.pane = pane;
    V.capas[capa.nombre] = capaL;
    if (estado.opacidad[capa.nombre] !== undefined) mapa.getPane(pane).style.opacity = estado.opacidad[capa.nombre];
  });

  function encender(nombre, si) {
    const capaL = V.capas[nombre];
    if (si) { estado.visibles.add(nombre); if (!mapa.hasLayer(capaL)) capaL.addTo(mapa); }
    else { estado.visibles.delete(nombre); mapa.removeLayer(capaL); }
    const casilla = document.querySelector(`input[data-capa="${nombre}"]`);
    if (casilla) casilla.checked = si;
    V.emitir("estado");
  }

  // Leyenda: un símbolo SVG por entrada (círculo, línea o rectángulo) con el estilo de la capa.
  function simbolo(capa, s) {
    if (esPunto(capa)) {
      return `<svg width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="${Math.min(s.radius, 6)}" fill="${s.fillColor}" fill-opacity="${Math.max(s.fillOpacity, 0.8)}" stroke="${s.color}" stroke-width="1.5"/></svg>`;
    }
    if (esLinea(capa)) return `<svg width="18" height="16" aria-hidden="true"><line x1="1" y1="12" x2="17" y2="4" stroke="${s.color}" stroke-width="${Math.max(s.weight, 2)}"/></svg>`;
    return `<svg width="18" height="14" aria-hidden="true"><rect x="1" y="1" width="16" height="12" fill="${s.fillColor}" fill-opacity="${s.fillOpacity}" stroke="${s.color}" stroke-width="${Math.min(s.weight, 2.5)}"/></svg>`;
  }

  function htmlFiltros(capa) {
    if (!capa.filtros || !capa.filtros.length) return "";
    const actuales = estado.filtros[capa.nombre];
    const campos = capa.filtros.map((f) => {
      const actual = actuales[f.nombre];
      if (f.tipo === "rango") {
        const v = actual || {};
        return `<fieldset><legend>${V.escapar(f.titulo)}</legend>
          <label>desde <input type="number" step="any" class="form-control form-control-sm" data-filtro="${f.nombre}" data-lado="min" value="${V.escapar(v.min || "")}"></label>
          <label>hasta <input type="number" step="any" class="form-control form-control-sm" data-filtro="${f.nombre}" data-lado="max" value="${V.escapar(v.max || "")}"></label></fieldset>`;
      }
      const marcados = new Set(actual || []);
      const opciones = f.opciones.map(([valor, etiqueta]) =>
        `<label><input type="checkbox" data-filtro="${f.nombre}" value="${V.escapar(valor)}"${marcados.has(String(valor)) ? " checked" : ""}> ${V.escapar(etiqueta)}</label>`).join("");
      return `<fieldset><legend>${V.escapar(f.titulo)}</legend>${opciones}</fieldset>`;
    }).join("");
    const activos = Object.keys(actuales).length;
    return `<details class="filtros-capa"${activos ? " open" : ""}><summary>Filtros${activos ? ` (${activos} activo${activos > 1 ? "s" : ""})` : ""}</summary><form class="filtros" data-capa="${capa.nombre}">${campos}</form></details>`;
  }

  function leerFiltros(form) {
    const nombre = form.dataset.capa;
    const nuevos = {};
    V.porNombre[nombre].filtros.forEach((f) => {
      if (f.tipo === "rango") {
        const min = form.querySelector(`[data-filtro="${f.nombre}"][data-lado="min"]`).value;
        const max = form.querySelector(`[data-filtro="${f.nombre}"][data-lado="max"]`).value;
        if (min !== "" || max !== "") nuevos[f.nombre] = { min, max };
      } else {
        const valores = [...form.querySelectorAll(`[data-filtro="${f.nombre}"]:checked`)].map((c) => c.value);
        if (valores.length) nuevos[f.nombre] = valores;
      }
    });
    estado.filtros[nombre] = nuevos;
    const activos = Object.keys(nuevos).length;
    form.closest("details").querySelector("summary").textContent = `Filtros${activos ? ` (${activos} activo${activos > 1 ? "s" : ""})` : ""}`;
    V.capas[nombre].recargar();
    V.emitir("filtros", { capa: nombre });
    V.emitir("estado");
  }

  function armarPanel() {
    const arbol = document.getElementById("arbol-capas");
    const grupos = new Map();
    conf.capas.forEach((capa) => {
      if (!grupos.has(capa.grupo)) grupos.set(capa.grupo, []);
      grupos.get(capa.grupo).push(capa);
    });
    let html = "";
    grupos.forEach((capas, grupo) => {
      html += `<details class="grupo-capas" open><summary>${V.escapar(grupo)}</summary>`;
      capas.forEach((capa) => {
        const id = "capa-" + capa.nombre;
        const opacidad = estado.opacidad[capa.nombre] !== undefined ? estado.opacidad[capa.nombre] : 1;
        const entradas = capa.leyenda.map((e) => `<li>${simbolo(capa, e.estilo)}<span>${V.escapar(e.etiqueta || capa.titulo)}</span></li>`).join("");
        // Símbolo único: junto al nombre; categorías: lista plegable (abierta si son pocas).
        const unico = capa.leyenda.length === 1 ? simbolo(capa, capa.leyenda[0].estilo) : "";
        const leyenda = unico ? "" : `<details class="leyenda-capa"${capa.leyenda.length <= 3 ? " open" : ""}><summary>Leyenda (${capa.leyenda.length})</summary><ul class="leyenda">${entradas}</ul></details>`;
        html += `<div class="capa" data-capa-panel="${capa.nombre}">
          <div class="capa-fila"><input class="form-check-input" type="checkbox" id="${id}" data-capa="${capa.nombre}"${estado.visibles.has(capa.nombre) ? " checked" : ""}>
            ${unico}<label for="${id}">${V.escapar(capa.titulo)}</label>
            <span class="capa-modo" title="${capa.modo === "teselas" ? "Teselas vectoriales (MVT)" : "GeoJSON por extensión"}">${capa.modo === "teselas" ? "MVT" : "GeoJSON"}</span></div>
          ${leyenda}
          <div class="capa-acciones">
            <input type="range" min="0" max="1" step="0.1" value="${opacidad}" data-opacidad="${capa.nombre}" aria-label="Opacidad de ${V.escapar(capa.titulo)}" title="Opacidad">
            <button type="button" class="btn btn-outline-secondary" data-acercar="${capa.nombre}"${capa.extension ? "" : " disabled"} title="Acercar a la capa">Acercar</button>
            <button type="button" class="btn btn-outline-secondary" data-tabla="${capa.nombre}" title="Tabla de atributos">Tabla</button>
          </div>${htmlFiltros(capa)}</div>`;
      });
      html += "</details>";
    });
    arbol.innerHTML = html;
    arbol.addEventListener("change", (e) => {
      const t = e.target;
      if (t.dataset.capa && t.type === "checkbox") encender(t.dataset.capa, t.checked);
      const form = t.closest("form.filtros");
      if (form) leerFiltros(form);
    });
    arbol.addEventListener("input", (e) => {
      const nombre = e.target.dataset.opacidad;
      if (!nombre) return;
      estado.opacidad[nombre] = Number(e.target.value);
      mapa.getPane(V.capas[nombre].pane).style.opacity = e.target.value;
      V.emitir("estado");
    });
    arbol.addEventListener("click", (e) => {
      const acercar = e.target.closest("[data-acercar]");
      if (acercar) {
        const capa = V.porNombre[acercar.dataset.acercar];
        if (!estado.visibles.has(capa.nombre)) encender(capa.nombre, true);
        V.acercar(capa.extension, 16);
      }
      const tabla = e.target.closest("[data-tabla]");
      if (tabla) V.emitir("abrir-tabla", { capa: tabla.dataset.tabla });
    });
  }

  armarPanel();
  conf.capas.forEach((capa) => { if (estado.visibles.has(capa.nombre)) V.capas[capa.nombre].addTo(mapa); });
  V.encender = encender;
  V.visiblesEnOrden = () => conf.capas.filter((c) => estado.visibles.has(c.nombre)).map((c) => c.nombre);
})();
