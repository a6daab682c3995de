/* Visor: escala, coordenadas (lat/lon y UTM de la comuna), ir a, medir, mapas base y servicios por
 * URL de la sesión, e imprimir (contrato 4).
 *
 * Las medidas se calculan en el huso UTM de la comuna (proj4 con la definición del servidor): lo
 * mismo que mide QGIS en EPSG:<srid_metrico>; a escala comunal la deformación UTM es < 0,1 %.
 */
(function () {
  "use strict";
  const V = window.Visor;
  const { conf, mapa } = V;

  L.control.scale({ imperial: false, position: "bottomright", maxWidth: 150 }).addTo(mapa);

  // Coordenadas: con ratón, las del puntero; en pantallas táctiles, las del centro del mapa.
  const cajaCoord = document.getElementById("visor-coordenadas");
  function mostrarCoordenadas(ll) {
    const [e, n] = V.aMetrico(ll);
    cajaCoord.textContent = `Lat ${V.numero(ll.lat, 5)} Lon ${V.numero(ll.lng, 5)} · ${V.METRICO} E ${V.numero(e, 0)} N ${V.numero(n, 0)}`;
  }
  mapa.on("mousemove", (e) => mostrarCoordenadas(e.latlng));
  mapa.on("moveend", () => mostrarCoordenadas(mapa.getCenter()));
  mostrarCoordenadas(mapa.getCenter());

  // Ir a: «lat, lon» en grados (coma decimal o punto) o «E N» en el UTM de la comuna.
  const marcaIr = L.layerGroup().addTo(mapa);
  function leerNumeros(texto) {
    const limpio = texto.trim().replace(/(\d),(\d)/g, "$1.$2");
    return (limpio.match(/-?\d+(\.\d+)?/g) || []).map(Number);
  }
  document.getElementById("form-ir").addEventListener("submit", (e) => {
    e.preventDefault();
    const error = document.getElementById("ir-error");
    const nums = leerNumeros(e.target.coordenadas.value);
    let destino = null;
    if (nums.length === 2) {
      const [a, b] = nums;
      if (Math.abs(a) <= 90 && Math.abs(b) <= 180) destino = L.latLng(a, b);
      else if (Math.abs(a) > 1000 && Math.abs(b) > 1000) destino = V.desdeMetrico(a, b);
    }
    if (!destino || !Number.isFinite(destino.lat)) {
      error.textContent = "No se entienden las coordenadas: escriba latitud y longitud, o este y norte.";
      error.hidden = false;
      return;
    }
    error.hidden = true;
    marcaIr.clearLayers();
    L.circleMarker(destino, { radius: 8, color: "#d62728", weight: 3, fillOpacity: 0.2, interactive: false }).addTo(marcaIr);
    mapa.setView(destino, Math.max(mapa.getZoom(), 16));
    if (window.innerWidth <= 700) V.alternarPanel("panel-ir", false);
  });

  // Medir distancia o área: clic agrega vértices; doble clic o «Terminar» cierra la medida.
  const caja = document.getElementById("visor-medida");
  const dibujo = L.featureGroup().addTo(mapa);
  let puntos = [];
  let modo = null;
  function medida(ll) {
    const p = ll.map((x) => V.aMetrico(x));
    if (modo === "distancia") {
      let d = 0;
      for (let i = 1; i < p.length; i++) d += Math.hypot(p[i][0] - p[i - 1][0], p[i][1] - p[i - 1][1]);
      return `Distancia: ${V.longitud(d)}`;
    }
    let a = 0;
    let per = 0;
    for (let i = 0; i < p.length; i++) {
      const j = (i + 1) % p.length;
      a += p[i][0] * p[j][1] - p[j][0] * p[i][1];
      per += Math.hypot(p[j][0] - p[i][0], p[j][1] - p[i][1]);
    }
    return `Área: ${V.area(Math.abs(a) / 2)} · perímetro ${V.longitud(per)}`;
  }
  function pintar(extra) {
    const ll = extra ? [...puntos, extra] : puntos;
    dibujo.clearLayers();
    if (!ll.length) return;
    const estilo = { color: "#d62728", weight: 3, dashArray: "6 4", interactive: false };
    (modo === "area" && ll.length > 2 ? L.polygon(ll, { ...estilo, fillOpacity: 0.15 }) : L.polyline(ll, estilo)).addTo(dibujo);
    ll.forEach((x) => L.circleMarker(x, { radius: 3, color: "#d62728", interactive: false }).addTo(dibujo));
    const min = modo === "area" ? 3 : 2;
    caja.querySelector("span").textContent = ll.length >= min ? medida(ll) : (modo === "area" ? "Haga clic en los vértices del área" : "Haga clic en los puntos del recorrido");
  }
  function empezar(nuevo) {
    terminar(true);
    if (modo === nuevo) { modo = null; return; }
    modo = nuevo;
    V.midiendo = true;
    mapa.doubleClickZoom.disable();
    mapa.getContainer().style.cursor = "crosshair";
    document.getElementById(`btn-medir-${nuevo}`).classList.add("activo");
    caja.innerHTML = '<span></span><button type="button" class="btn btn-sm btn-outline-secondary">Terminar</button>';
    caja.hidden = false;
    caja.querySelector("button").addEventListener("click", () => { terminar(true); modo = null; });
    pintar();
  }
  function terminar(borrar) {
    V.midiendo = false;
    mapa.doubleClickZoom.enable();
    mapa.getContainer().style.cursor = "";
    document.querySelectorAll("#btn-medir-distancia, #btn-medir-area").forEach((b) => b.classList.remove("activo"));
    if (borrar) { dibujo.clearLayers(); caja.hidden = true; }
    puntos = [];
  }
  mapa.on("click", (e) => { if (modo && V.midiendo) { puntos.push(e.latlng); pintar(); } });
  mapa.on("mousemove", (e) => { if (modo && V.midiendo && puntos.length) pintar(e.latlng); });
  mapa.on("dblclick", () => {
    if (!(modo && V.midiendo)) return;
    const final = puntos.slice();
    terminar(false);
    puntos = final;
    pintar();
    puntos = [];
    modo = null;
  });
  document.getElementById("btn-medir-distancia").addEventListener("click", () => empezar("distancia"));
  document.getElementById("btn-medir-area").addEventListener("click", () => empezar("area"));
  V.medir = { texto: () => caja.querySelector("span") && caja.querySelector("span").textContent };

  // Mapas base (contrato 3) y servicios agregados por URL para la sesión (los pide el navegador).
  mapa.createPane("visor-base").style.zIndex = 150;
  const bases = conf.mapas_base.slice();
  try { bases.push(...JSON.parse(sessionStorage.getItem("visor-servicios") || "[]")); } catch (e) { /* nada guardado */ }
  let baseActual = null;
  const superpuestos = {};
  function capaBase(b) {
    const opciones = { attribution: b.atribucion || "", pane: b.superpuesto ? "visor-servicios" : "visor-base", maxZoom: 20 };
    if (b.tipo === "wms") {
      return L.tileLayer.wms(b.url, { ...opciones, layers: b.capas || "", format: b.formato || "image/png", transparent: b.transparente !== false, version: "1.3.0" });
    }
    return L.tileLayer(b.url, opciones);
  }
  mapa.createPane("visor-servicios").style.zIndex = 390;
  function elegirBase(nombre) {
    if (baseActual) mapa.removeLayer(baseActual);
    baseActual = null;
    const b = bases.find((x) => x.nombre === nombre && !x.superpuesto);
    if (b) baseActual = capaBase(b).addTo(mapa);
  }
  function pintarBases() {
    const propias = bases.filter((b) => !b.superpuesto);
    const lista = document.getElementById("lista-base");
    lista.innerHTML = `<label class="d-block"><input type="radio" name="base" value=""${baseActual ? "" : " checked"}> Sin mapa base</label>` +
      propias.map((b) => `<label class="d-block"><input type="radio" name="base" value="${V.escapar(b.nombre)}"> ${V.escapar(b.titulo)}</label>`).join("") +
      bases.filter((b) => b.superpuesto).map((b) => `<label class="d-block"><input type="checkbox" data-servicio="${V.escapar(b.nombre)}"${superpuestos[b.nombre] ? " checked" : ""}> ${V.escapar(b.titulo)}</label>`).join("");
  }
  document.getElementById("lista-base").addEventListener("change", (e) => {
    if (e.target.name === "base") elegirBase(e.target.value);
    const nombre = e.target.dataset.servicio;
    if (nombre) {
      if (e.target.checked) superpuestos[nombre] = capaBase(bases.find((b) => b.nombre === nombre)).addTo(mapa);
      else { mapa.removeLayer(superpuestos[nombre]); delete superpuestos[nombre]; }
    }
  });
  document.getElementById("form-servicio").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target;
    const nuevo = {
      nombre: "servicio-" + Date.now(), titulo: f.titulo.value || f.url.value, tipo: f.tipo.value, url: f.url.value.trim(),
      capas: f.capas.value.trim(), formato: "image/png", transparente: true, atribucion: "", superpuesto: true,
    };
    bases.push(nuevo);
    sessionStorage.setItem("visor-servicios", JSON.stringify(bases.filter((b) => b.superpuesto)));
    superpuestos[nuevo.nombre] = capaBase(nuevo).addTo(mapa);
    pintarBases();
    f.reset();
  });
  const porOmision = conf.mapas_base.find((b) => b.por_omision);
  if (porOmision) elegirBase(porOmision.nombre);
  pintarBases();
  if (porOmision) document.querySelector(`#lista-base input[value="${porOmision.nombre}"]`).checked = true;

  // Imprimir (contrato 4): formulario POST con CSRF; el servidor responde 303 al trabajo.
  const imprimir = document.getElementById("btn-imprimir");
  if (conf.urls.imprimir) {
    imprimir.hidden = false;
    imprimir.addEventListener("click", () => {
      const l = mapa.getBounds();
      const campos = [
        ["titulo", conf.titulo], ["bbox", [l.getWest(), l.getSouth(), l.getEast(), l.getNorth()].map((v) => v.toFixed(6)).join(",")],
        ["capas", V.visiblesEnOrden().join(",")], ["permalink", V.permalink()], ["formato", "a4-horizontal"],
        ["csrfmiddlewaretoken", document.querySelector("#visor-csrf [name=csrfmiddlewaretoken]").value],
      ];
      V.visiblesEnOrden().forEach((n) => campos.push(...V.parametrosFiltro(n)));
      const form = document.createElement("form");
      form.method = "post";
      form.action = conf.urls.imprimir;
      campos.forEach(([k, v]) => { const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = v; form.appendChild(i); });
      document.body.appendChild(form);
      form.submit();
    });
  }
  V.escuchar("aviso", (d) => { cajaCoord.textContent = d.texto; });
})();
